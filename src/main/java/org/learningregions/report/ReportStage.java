package org.learningregions.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.learningregions.LearningRegionsException;
import org.learningregions.RunContext;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.Tables;

/**
 * The {@code report} stage: reads the gold tables and writes {@code <reports>/<run id>/} with a self-contained
 * summary.html and CSV exports of every reported table. Only aggregates leave the lakehouse: no person-level rows,
 * and suppressed rate cells carry no value.
 */
public final class ReportStage {
  private final RunContext ctx;

  public ReportStage(RunContext ctx) {
    this.ctx = ctx;
  }

  /** Writes the report and returns its directory. */
  public Path run() {
    RunManifest.Stage stage = ctx.manifest().stage("report");
    Path dir = Paths.get(ctx.config().reportsDir(), ctx.runId()).toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir.resolve("csv"));
      ReportData data = collect();
      // The exports are independent reads of different tables: written concurrently.
      List<Runnable> exports = new ArrayList<>();
      exports.add(() -> export(stage, data.coefficients().orderBy("model_name", "term"), dir, "model_coefficients.csv"));
      exports.add(() -> export(stage, data.coefficients().orderBy("model_name", "term"), dir,
          "csv/model_coefficients.csv"));
      exports.add(() -> export(stage, data.runs().orderBy("model_name"), dir, "csv/model_runs.csv"));
      exports.add(() -> export(stage, ctx.lake().read(Tables.ANALYSIS_PANEL).orderBy("region_code", "year"), dir,
          "csv/analysis_panel.csv"));
      exports.add(() -> export(stage, ctx.lake().read(Tables.PANEL_COVERAGE).orderBy("region_code", "year"), dir,
          "csv/panel_coverage.csv"));
      if (ctx.lake().exists(Tables.LEARNING_RATES)) {
        exports.add(() -> export(stage, ctx.lake().read(Tables.LEARNING_RATES)
            .orderBy("survey", "nuts_level", "region_code", "year", "measure", "breakdown", "breakdown_value"), dir,
            "csv/learning_rates.csv"));
      }
      if (ctx.lake().exists(Tables.LEARNING_RATE_COMPARISON)) {
        exports.add(() -> export(stage, ctx.lake().read(Tables.LEARNING_RATE_COMPARISON)
            .orderBy("survey", "region_code", "year", "sex"), dir, "csv/learning_rate_comparison.csv"));
      }
      org.learningregions.lake.Concurrently.run(exports);
      String html = new SummaryHtml(ctx.config()).render(data, ctx.runId());
      Files.writeString(dir.resolve("summary.html"), html, StandardCharsets.UTF_8);
      stage.count("report_dir", dir.toString());
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot write report to " + dir + ": " + e.getMessage(), e);
    }
    stage.done();
    return dir;
  }

  private static void export(RunManifest.Stage stage, Dataset<Row> table, Path dir, String name) {
    try {
      stage.count(name, CsvExport.write(table, dir.resolve(name)));
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
    }
  }

  /** What the report shows, gathered from gold and silver. Sizes are bounded by regions x years, not by rows. */
  record ReportData(Dataset<Row> runs, Dataset<Row> coefficients, Row panelFacts, List<Row> countries,
      List<Row> sources, List<Row> latestByRegion, List<Row> reliability, List<Row> coverageReasons,
      List<Row> learningCities, Row comparison, long panelVersion) {}

  private ReportData collect() {
    if (!ctx.lake().exists(Tables.MODEL_RUNS)) {
      throw LearningRegionsException.failure("no model runs in the lakehouse yet: run `fit` (or `pipeline`) first");
    }
    Dataset<Row> allRuns = ctx.lake().read(Tables.MODEL_RUNS);
    Dataset<Row> runs = allRuns
        .withColumn("__r", row_number().over(Window.partitionBy("model_name").orderBy(col("fitted_at").desc())))
        .filter(col("__r").equalTo(1)).drop("__r").persist();
    Dataset<Row> coefficients = ctx.lake().read(Tables.MODEL_COEFFICIENTS)
        .join(runs.select("run_id"), "run_id").persist();
    Dataset<Row> panel = ctx.lake().read(Tables.ANALYSIS_PANEL);
    Row facts = panel.agg(count(lit(1)).as("rows"), countDistinct("region_code").as("regions"),
        countDistinct("country").as("countries"), min("year").as("first_year"), max("year").as("last_year")).head();
    List<Row> countries = panel.groupBy("country").agg(countDistinct("region_code").as("regions"),
        min("year").as("first_year"), max("year").as("last_year")).orderBy("country").collectAsList();
    List<Row> sources = ctx.lake().read(Tables.REGIONAL_INDICATOR)
        .groupBy("source_dataset", "source_file").agg(count(lit(1)).as("observations"),
            min("year").as("first_year"), max("year").as("last_year"))
        .orderBy("source_dataset").collectAsList();
    List<Row> latest = panel
        .withColumn("__r", row_number().over(Window.partitionBy("region_code").orderBy(col("year").desc())))
        .filter(col("__r").equalTo(1))
        .select("region_code", "region_name", "country", "year", "learning_rate", "learning_source", "learning_flag",
            "productivity_eur", "learning_city_names")
        .orderBy("country", "region_code").collectAsList();
    List<Row> reliability = List.of();
    if (ctx.lake().exists(Tables.LEARNING_RATES)) {
      reliability = ctx.lake().read(Tables.LEARNING_RATES).filter(col("measure").equalTo("any"))
          .groupBy("breakdown", "reliability").agg(count(lit(1)).as("cells"))
          .orderBy("breakdown", "reliability").collectAsList();
    }
    List<Row> coverage = ctx.lake().read(Tables.PANEL_COVERAGE)
        .withColumn("reason", explode(split(col("reasons"), ";")))
        .groupBy("reason").agg(count(lit(1)).as("region_years")).orderBy(col("region_years").desc()).collectAsList();
    List<Row> cities = new ArrayList<>();
    if (ctx.lake().exists(Tables.LEARNING_CITY_REGISTRY)) {
      Dataset<Row> registry = ctx.lake().read(Tables.LEARNING_CITY_REGISTRY);
      Dataset<Row> inPanel = panel.select(col("region_code").as("panel_region"), col("region_name")).distinct();
      cities = registry.join(inPanel, col("region_code").startsWith(col("panel_region")), "left")
          .select("city", "country", "region_code", "region_scheme", "year_joined", "region_name")
          .orderBy("country", "city").collectAsList();
    }
    Row comparison = null;
    if (ctx.lake().exists(Tables.LEARNING_RATE_COMPARISON)) {
      comparison = ctx.lake().read(Tables.LEARNING_RATE_COMPARISON)
          .filter("sex = 'T' and survey_rate is not null and official_rate is not null")
          .agg(count(lit(1)).as("cells"), avg(col("official_within_ci").cast("double")).as("share_within"),
              avg("abs_difference_pp").as("mean_abs_pp"))
          .head();
    }
    return new ReportData(runs, coefficients, facts, countries, sources, latest, reliability, coverage, cities,
        comparison, ctx.lake().version(Tables.ANALYSIS_PANEL));
  }

  static String num(Object v, int digits) {
    if (v == null) {
      return "";
    }
    return String.format(Locale.ROOT, "%." + digits + "f", ((Number) v).doubleValue());
  }
}
