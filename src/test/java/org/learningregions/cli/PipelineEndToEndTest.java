package org.learningregions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;
import org.learningregions.SamplePipeline;
import org.learningregions.SparkTestSession;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;

/** The whole pipeline through the CLI on a small generated sample, twice. */
@Tag("slow")
class PipelineEndToEndTest {
  static final double BETA = SamplePipeline.BETA;

  @TempDir
  static Path tmp;

  static SamplePipeline sample;
  static Path inputs;
  static Path lakehouse;
  static Path reports;
  static CliRunner.Result first;
  static Map<String, Long> versionsAfterFirst = new LinkedHashMap<>();
  static Map<String, Long> countsAfterFirst = new LinkedHashMap<>();

  static final List<TableId> TABLES = List.of(Tables.BRONZE_EUROSTAT, Tables.BRONZE_SDMX, Tables.BRONZE_MICRODATA,
      Tables.BRONZE_REGISTRY, Tables.REGIONAL_INDICATOR, Tables.LEARNING_PARTICIPATION, Tables.LEARNING_CITY_REGISTRY,
      Tables.Q_REGIONAL_INDICATOR, Tables.Q_LEARNING_PARTICIPATION, Tables.Q_LEARNING_CITY_REGISTRY,
      Tables.LEARNING_RATES, Tables.LEARNING_RATE_COMPARISON, Tables.ANALYSIS_PANEL, Tables.PANEL_COVERAGE,
          Tables.LEARNING_INDEX, Tables.LEARNING_INDEX_AUDIT, Tables.LEARNING_INDEX_SENSITIVITY, Tables.MODEL_RUNS,
      Tables.MODEL_COEFFICIENTS);

  static String[] args(String... command) {
    return sample.args(command);
  }

  @BeforeAll
  static void runPipelineOnce() {
    sample = SamplePipeline.get();
    inputs = sample.inputs;
    lakehouse = sample.lakehouse;
    reports = sample.reports;
    first = sample.first;
    Lakehouse lake = new Lakehouse(SparkTestSession.get(), lakehouse.toString());
    for (TableId t : TABLES) {
      versionsAfterFirst.put(t.toString(), lake.version(t));
      countsAfterFirst.put(t.toString(), lake.read(t).count());
    }
  }

  @Test
  void writesEveryLayer() {
    versionsAfterFirst.forEach((t, v) -> assertTrue(v >= 0, t + " missing"));
    assertTrue(countsAfterFirst.get("silver.regional_indicator") > 1000);
    assertTrue(countsAfterFirst.get("gold.analysis_panel") > 300);
  }

  @Test
  void twoWayFixedEffectsCiCoversThePlantedBetaAndExcludesZero() {
    SparkSession spark = SparkTestSession.get();
    Row c = spark.read().format("delta").load(lakehouse.resolve("gold/model_coefficients").toString())
        .filter("model_name = 'twoway_fe_lag1' and term = 'learning_rate_lag1'").head();
    double lo = c.getAs("ci_low");
    double hi = c.getAs("ci_high");
    assertTrue(lo <= BETA && BETA <= hi, "95% CI [" + lo + ", " + hi + "] misses planted beta " + BETA);
    assertTrue(lo > 0, "CI should exclude 0: [" + lo + ", " + hi + "]");
    assertEquals("cluster:region_code", c.getAs("se_type"));
    // The wild cluster bootstrap by region: its interval also covers the planted beta; same seed, recorded.
    double wcrLo = c.getAs("ci_wcr_low");
    double wcrHi = c.getAs("ci_wcr_high");
    assertTrue(wcrLo <= BETA && BETA <= wcrHi && wcrLo > 0, "WCR [" + wcrLo + ", " + wcrHi + "]");
    assertTrue(c.<Double>getAs("p_value_wcr") < 0.05);
    assertEquals("wcr:rademacher:sampled:9999:seed=20190101", c.getAs("bootstrap"));
    Row dk = spark.read().format("delta").load(lakehouse.resolve("gold/model_coefficients").toString())
        .filter("model_name = 'twoway_fe_lag1_dk' and term = 'learning_rate_lag1'").head();
    assertEquals(c.<Double>getAs("estimate"), dk.<Double>getAs("estimate"), 1e-12, "same model, other SE");
    assertTrue(dk.<String>getAs("se_type").startsWith("driscoll-kraay:year:L="), dk.toString());
  }

  @Test
  void secondRunChangesNoTableAndReadsNoMicrodataRow() throws Exception {
    CliRunner.Result second = CliRunner.run(args("pipeline", "--input", inputs.toString()));
    assertEquals(0, second.exitCode(), second.err());
    Lakehouse lake = new Lakehouse(SparkTestSession.get(), lakehouse.toString());
    for (TableId t : TABLES) {
      assertEquals(versionsAfterFirst.get(t.toString()), lake.version(t), t + " got a new version");
      assertEquals(countsAfterFirst.get(t.toString()), lake.read(t).count(), t + " row count changed");
    }
    // The run's manifest: every stage found its outputs current, and ingest parsed no row of any file.
    JsonNode m = latestManifest("pipeline");
    m.path("stages").forEach(st -> assertEquals("unchanged", st.path("status").asText(), st.toString()));
    JsonNode ingest = null;
    for (JsonNode st : m.path("stages")) {
      ingest = ingest == null && st.path("stage").asText().equals("ingest") ? st : ingest;
    }
    assertNotNull(ingest, "no ingest stage in " + m.path("stages"));
    assertEquals(0, ingest.path("counts").path("microdata_rows_parsed").asLong(-1));
    assertEquals(0, ingest.path("counts").path("rows_parsed").asLong(-1));
    assertTrue(m.path("spark_master").isMissingNode(), "nothing to do: Spark was never started");
    assertTrue(second.out().contains("twoway_fe_lag1: learning_rate_lag1 = "), "the headline is printed: "
        + second.out());
  }

  /** The newest manifest of a command. */
  static JsonNode latestManifest(String command) throws Exception {
    JsonNode latest = null;
    try (Stream<Path> s = Files.list(lakehouse.resolve("_runs"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode m = new ObjectMapper().readTree(p.toFile());
        if (m.path("command").asText().endsWith(command)) {
          latest = m;
        }
      }
    }
    return latest;
  }

  @Test
  void reportHasSummaryAndCoefficientCsv() throws Exception {
    Path dir;
    try (Stream<Path> s = Files.list(reports)) {
      dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    String html = Files.readString(dir.resolve("summary.html"));
    assertTrue(html.contains("95% interval"), "headline missing");
    assertFalse(html.matches("(?s).*(src|href)=\"https?://.*"), "report must not reference external URLs");
    List<String> csv = Files.readAllLines(dir.resolve("model_coefficients.csv"));
    List<String> header = List.of(csv.get(0).split(","));
    assertTrue(header.containsAll(List.of("term", "estimate", "std_error", "t_value", "p_value", "ci_low", "ci_high",
        "se_type")), header.toString());
    assertTrue(csv.size() >= 4);
  }

  @Test
  void manifestRecordsStagesTimesAndVersions() throws Exception {
    Path runs = lakehouse.resolve("_runs");
    JsonNode m;
    try (Stream<Path> s = Files.list(runs)) {
      Path file = s.filter(p -> p.toString().endsWith(".json")).sorted().findFirst().orElseThrow();
      m = new ObjectMapper().readTree(file.toFile());
    }
    assertEquals("succeeded", m.path("status").asText());
    List<String> stages = new java.util.ArrayList<>();
    m.path("stages").forEach(st -> {
      stages.add(st.path("stage").asText());
      assertTrue(st.path("seconds").asDouble() >= 0);
    });
    assertEquals(List.of("generate-sample", "ingest", "aggregate", "build-panel", "index", "fit", "report").subList(
        stages.get(0).equals("generate-sample") ? 0 : 1, 7), stages);
    JsonNode ingest = m.path("stages").get(stages.indexOf("ingest"));
    ingest.path("counts").path("files").forEach(f -> assertTrue(f.path("reconciled").asBoolean(), f.toString()));
    assertTrue(ingest.path("tables").size() >= 9);
  }

  @Test
  void surveyRateIntervalsCoverTheGeneratingProbabilitiesAtAboutTheNominalRate() throws Exception {
    JsonNode truth = new ObjectMapper().readTree(inputs.resolve("sample_manifest.json").toFile())
        .path("participation_probability");
    List<Row> cells = SparkTestSession.get().read().format("delta").load(lakehouse.resolve("gold/learning_rates")
        .toString())
        .filter("nuts_level = 2 and measure = 'any' and breakdown = 'total' and reliability <> 'suppressed'")
        .select("region_code", "year", "ci_low", "ci_high").collectAsList();
    int covered = 0;
    for (Row r : cells) {
      double p = truth.path(r.getString(0)).path(Integer.toString(r.getInt(1))).asDouble() * 100;
      if (r.getDouble(2) <= p && p <= r.getDouble(3)) {
        covered++;
      }
    }
    double coverage = (double) covered / cells.size();
    assertTrue(cells.size() > 300, "cells: " + cells.size());
    assertTrue(coverage >= 0.90 && coverage <= 0.99, "coverage of 95% CIs: " + coverage + " over " + cells.size());
  }

  @Test
  void comparisonWithOfficialRatesIsConsistent() {
    List<Row> rows = SparkTestSession.get().read().format("delta")
        .load(lakehouse.resolve("gold/learning_rate_comparison").toString())
        .filter("sex = 'T' and survey_rate is not null and official_rate is not null").collectAsList();
    assertTrue(rows.size() > 300, "rows: " + rows.size());
    int within = 0;
    for (Row r : rows) {
      double d = r.<Double>getAs("survey_rate") - r.<Double>getAs("official_rate");
      assertEquals(d, r.<Double>getAs("difference_pp"), 1e-12);
      boolean in = r.<Double>getAs("survey_ci_low") <= r.<Double>getAs("official_rate")
          && r.<Double>getAs("official_rate") <= r.<Double>getAs("survey_ci_high");
      assertEquals(in, r.<Boolean>getAs("official_within_ci"));
      within += in ? 1 : 0;
    }
    // The sample's official series is the generating rate rounded to 0.1: inside the 95% CI about 95% of the time.
    double share = (double) within / rows.size();
    assertTrue(share > 0.88 && share < 0.995, "official within survey CI: " + share);
  }

  @Test
  void sqlPrintsTheCount() {
    CliRunner.Result r = CliRunner.run(args("sql", "select count(*) as n from gold.analysis_panel"));
    assertEquals(0, r.exitCode(), r.err());
    String[] lines = r.out().trim().split("\n");
    assertEquals("n", lines[0].trim());
    assertEquals(countsAfterFirst.get("gold.analysis_panel"), Long.parseLong(lines[1].trim()));
  }

  @Test
  void sqlRefusesAWriteUnlessAllowedAndThenRecordsIt() throws Exception {
    Path copy = sample.copy(tmp.resolve("sql-writes"));
    String table = copy.resolve("silver/learning_participation").toString();
    SparkSession spark = SparkTestSession.get();
    long rows = spark.read().format("delta").load(table).count();
    long version = io.delta.tables.DeltaTable.forPath(spark, table).history(1).head().getLong(0);
    String[] conf = {"--conf", "conf/local.conf", "-Dlakehouse=" + copy, "-Dreports=" + tmp.resolve("sql-reports")};
    long manifests = manifestsOf(copy).count();

    CliRunner.Result refused = CliRunner.run(concat(new String[] {"sql"}, conf,
        new String[] {"delete from silver.learning_participation"}));
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("--allow-writes"), refused.err());
    assertEquals(rows, spark.read().format("delta").load(table).count(), "nothing deleted");
    assertEquals(version, io.delta.tables.DeltaTable.forPath(spark, table).history(1).head().getLong(0));
    assertEquals(manifests, manifestsOf(copy).count(), "a refused statement leaves no manifest");

    String statement = "delete from silver.learning_participation where year = 2012";
    CliRunner.Result allowed = CliRunner.run(concat(new String[] {"sql", "--allow-writes"}, conf,
        new String[] {statement}));
    assertEquals(0, allowed.exitCode(), allowed.err());
    long left = spark.read().format("delta").load(table).count();
    assertTrue(left < rows && left > 0, rows + " -> " + left);
    assertTrue(manifestsOf(copy).anyMatch(m -> m.contains(statement)), "the statement is in a run manifest");
  }

  private static Stream<String> manifestsOf(Path lake) throws java.io.IOException {
    try (Stream<Path> files = Files.list(lake.resolve("_runs"))) {
      List<String> texts = new java.util.ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        texts.add(Files.readString(f));
      }
      return texts.stream();
    }
  }

  private static String[] concat(String[]... parts) {
    return Stream.of(parts).flatMap(Stream::of).toArray(String[]::new);
  }

  @Test
  void historyListsVersionsWithRunIds() {
    CliRunner.Result r = CliRunner.run(args("history", "gold.analysis_panel"));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("version,timestamp,operation,run_id"), r.out());
    assertTrue(r.out().contains("WRITE"), r.out());
  }

  @Test
  void fitWithAnMllibEstimatorFromTheCommandLine() throws Exception {
    // Its own lakehouse for the registry, so that the pipeline's tables keep their versions for the other tests.
    Path other = tmp.resolve("fit-lakehouse");
    Path out = tmp.resolve("fit-glm");
    String panel = lakehouse.resolve("gold/analysis_panel").toString();
    CliRunner.Result r = CliRunner.run("fit", "--conf", "conf/local.conf", "-Dlakehouse=" + other, "--input", panel,
        "--formula", "log_productivity_eur ~ learning_rate_lag1", "--estimator", "glm", "--family", "gaussian",
        "--link", "log", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("glm(family=gaussian, link=log)"), r.out());
    String json = java.nio.file.Files.readString(out.resolve("fit.json"));
    assertTrue(json.contains("\"deviance\""), json);
    Row run = SparkTestSession.get().read().format("delta").load(other.resolve("gold/model_runs").toString()).head();
    assertEquals("glm(family=gaussian, link=log)", run.getAs("estimator"));
    CliRunner.Result bad = CliRunner.run("fit", "--conf", "conf/local.conf", "-Dlakehouse=" + other, "--input", panel,
        "--formula", "log_productivity_eur ~ learning_rate_lag1", "--estimator", "glm", "--fe", "region_code");
    assertEquals(2, bad.exitCode(), bad.err());
  }

  @Test
  void aSpecWithoutCompleteRowsFailsUnlessTheConfigurationSaysToSkipIt() throws Exception {
    // The sample has no hours worked: no row of the panel is complete for this formula.
    Path other = tmp.resolve("fit-empty");
    String[] fit = {"fit", "--conf", "conf/local.conf", "-Dlakehouse=" + other, "--input",
        lakehouse.resolve("gold/analysis_panel").toString(),
        "--formula", "log_productivity_eur ~ hours_worked_thousand"};
    CliRunner.Result failed = CliRunner.run(fit);
    assertEquals(1, failed.exitCode(), failed.err());
    assertTrue(failed.err().contains("no rows left after dropping"), failed.err());
    CliRunner.Result skipped = CliRunner.run(concat(fit, new String[] {"-Dmodels.skip-specs-without-data=true"}));
    assertEquals(0, skipped.exitCode(), skipped.err());
    assertTrue(manifestsOf(other).anyMatch(m -> m.contains("not fitted: model")),
        "the manifest notes the spec as not fitted");
  }
}
