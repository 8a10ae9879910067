package org.learningregions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;
import org.learningregions.SparkTestSession;
import org.learningregions.lake.CodebookCoverageTest;

/**
 * The real study (conf/eurostat.conf) end to end on everything in ../shared/data/real (Eurostat files of the 2017 and
 * 2024 vintages, the EU-LFS extra files, OECD regional employment): facts read by hand from the files must come out
 * of the panel, and the headline model must be recorded with its input's version.
 */
@Tag("slow")
class RealEurostatPipelineTest {
  @TempDir
  static Path tmp;

  static Path lakehouse;
  static Path reports;
  static CliRunner.Result run;

  @BeforeAll
  static void runRealPipeline() {
    lakehouse = tmp.resolve("lakehouse");
    reports = tmp.resolve("reports");
    Path real = SparkTestSession.shared().resolve("data/real");
    run = CliRunner.run("pipeline", "--conf", "conf/eurostat.conf", "--input", real.toString(),
        "-Dlakehouse=" + lakehouse, "-Dreports=" + reports);
    assertEquals(0, run.exitCode(), run.err() + "\nOUT:\n" + run.out());
  }

  static Dataset<Row> table(String name) {
    return SparkTestSession.get().read().format("delta").load(lakehouse.resolve(name).toString());
  }

  @Test
  void panelHasTheRealRegionsAndValuesReadFromTheFiles() {
    Dataset<Row> panel = table("gold/analysis_panel");
    // NUTS 2 regions with GDP, employment and a learning rate in some year 2000-2022, harmonised to NUTS 2021.
    assertEquals(323L, panel.select("region_code").distinct().count());
    assertEquals(5663L, panel.count());
    // The headline's sample (learning a year earlier) runs 2001-2022.
    Row span = panel.filter("learning_rate_lag1 is not null").agg(org.apache.spark.sql.functions.min("year"),
        org.apache.spark.sql.functions.max("year")).head();
    assertEquals(2001, span.getInt(0));
    assertEquals(2022, span.getInt(1));
    // eurostat_2024/trng_lfse_04.tsv, line "A,PC,T,Y25-64,UKL1": 2006 = "24.9 bu" (West Wales and the Valleys).
    Row ukl1 = panel.filter("region_code = 'UKL1' and year = 2006").head();
    assertEquals(24.9, ukl1.<Double>getAs("learning_rate"), 1e-12);
    assertEquals("bu", ukl1.getAs("learning_flag"));
    assertEquals("trng_lfse_04 (eurostat_2024)", ukl1.getAs("learning_rate_official_source"));
    // The flag travels with the lag: UKL1 2007's learning_rate_lag1 is 2006's value, flagged bu.
    Row ukl1next = panel.filter("region_code = 'UKL1' and year = 2007").head();
    assertEquals(24.9, ukl1next.<Double>getAs("learning_rate_lag1"), 1e-12);
    assertEquals("bu", ukl1next.getAs("learning_flag_lag1"));
    // GDP per person employed by hand: estat_nama_10r_3gdp.tsv "A,MIO_EUR,AT11" 2019 = 9222.79 (million EUR);
    // oecd_DF_GDP_TL2_employment.csv AT11 EMP 2019 = 124100 persons -> 9222.79e6 / 124100 EUR.
    Row at11 = panel.filter("region_code = 'AT11' and year = 2019").head();
    assertEquals(9222.79e6 / 124100, at11.<Double>getAs("productivity_eur"), 1e-6);
    assertEquals(Math.log(9222.79e6 / 124100), at11.<Double>getAs("log_productivity_eur"), 1e-12);
    assertEquals("AT_2019", at11.getAs("country_year"));
    assertEquals("DF_GDP (oecd)", at11.getAs("employment_source"));
    assertEquals("nama_10r_3gdp (eurostat_2024)", at11.getAs("gdp_source"));
    // Cork's region, Southern (IE05, NUTS 2021), is in with its 2019 learning rate from the new file: "10.5 ".
    Row ie05 = panel.filter("region_code = 'IE05' and year = 2019").head();
    assertEquals(10.5, ie05.<Double>getAs("learning_rate"), 1e-12);
    assertTrue(ie05.<Boolean>getAs("learning_city"));
    // Where the OECD has no NUTS 2 employment (Germany's TL2 is NUTS 1), the LFS count: lfst_r_lfe2emp
    // "THS,T,Y_GE15,DE11" 2014 = 2081.7 (thousand).
    Row de11 = panel.filter("region_code = 'DE11' and year = 2014").head();
    assertEquals(2081.7, de11.<Double>getAs("employment_thousand"), 1e-9);
    assertEquals("lfst_r_lfe2emp (eurostat_2017)", de11.getAs("employment_source"));
  }

  @Test
  void tl2PanelTakesGermanyFranceAndTheUkAtNuts1() {
    Dataset<Row> tl2 = table("gold/analysis_panel_tl2");
    // Baden-Württemberg is one TL2 row with NUTS 1 values: estat_nama_10r_3gdp.tsv "A,MIO_EUR,DE1" 2019 =
    // 525492.06; oecd_DF_GDP_TL2_employment.csv DE1 EMP 2019 = 6342940 persons.
    List<Row> de1 = tl2.filter("region_code = 'DE1' and year = 2019").collectAsList();
    assertEquals(1, de1.size());
    assertEquals(1, de1.get(0).<Integer>getAs("nuts_level"));
    assertEquals(525492.06e6 / 6342940, de1.get(0).<Double>getAs("productivity_eur"), 1e-6);
    assertEquals("DF_GDP (oecd)", de1.get(0).getAs("employment_source"));
    // No NUTS 2 region of the three countries, and NUTS 2 elsewhere (AT11 as in the NUTS 2 panel).
    assertEquals(0L, tl2.filter("country in ('DE', 'FR', 'UK') and nuts_level = 2").count());
    assertEquals(9222.79e6 / 124100, tl2.filter("region_code = 'AT11' and year = 2019").head()
        .<Double>getAs("productivity_eur"), 1e-6);
    assertTrue(table("gold/panel_coverage_tl2").count() > 0);
    Row run = table("gold/model_runs").filter("model_name = 'twoway_fe_lag1_tl2'").head();
    assertEquals("gold.analysis_panel_tl2", run.getAs("input"));
  }

  @Test
  void headlineIsFiniteAndRecordedWithInputVersions() {
    Row c = table("gold/model_coefficients")
        .filter("model_name = 'twoway_fe_lag1' and term = 'learning_rate_lag1'").head();
    for (String f : List.of("estimate", "std_error", "ci_low", "ci_high")) {
      assertTrue(Double.isFinite(c.<Double>getAs(f)), f);
    }
    assertTrue(c.<Double>getAs("ci_low") < c.<Double>getAs("estimate")
        && c.<Double>getAs("estimate") < c.<Double>getAs("ci_high"));
    assertEquals("cluster:region_code", c.getAs("se_type"));
    Row r = table("gold/model_runs").filter("model_name = 'twoway_fe_lag1'").head();
    assertEquals("gold.analysis_panel", r.getAs("input"));
    assertTrue(r.<String>getAs("input_version").matches("delta:\\d+"), r.getAs("input_version").toString());
    // Every specification of conf/models/eurostat.conf was fitted, including the robustness checks.
    List<String> models = table("gold/model_runs").select("model_name").distinct().as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertTrue(models.containsAll(List.of("pooled_ols_lag1", "region_fe_lag1", "twoway_fe_lag1",
        "twoway_fe_lags1to3", "region_countryyear_fe_lag1", "region_countryyear_fe_lags1to3",
        "twoway_fe_lag1_reliable", "long_difference", "long_difference_country_fe",
        "twoway_fe_lag1_gdp_per_inhabitant", "twoway_fe_lag1_structural", "twoway_fe_lag1_restructuring",
        "twoway_fe_lag1_breaks")), models.toString());
    // Leaving out u-flagged rates must leave out rows: the reliability check is a different sample.
    long all = table("gold/model_runs").filter("model_name = 'twoway_fe_lag1'").head().getAs("n_obs");
    long reliable = table("gold/model_runs").filter("model_name = 'twoway_fe_lag1_reliable'").head().getAs("n_obs");
    assertTrue(reliable < all, reliable + " vs " + all);
  }

  @Test
  void longDifferenceIsComputedFromThePanelEnds() {
    SparkSession spark = SparkTestSession.get();
    Row ld = table("gold/analysis_long_difference").filter("region_code = 'AT11'").head();
    Dataset<Row> panel = table("gold/analysis_panel").filter("region_code = 'AT11'");
    Row first = panel.orderBy("year").head();
    Row last = panel.orderBy(org.apache.spark.sql.functions.col("year").desc()).head();
    assertEquals(first.<Integer>getAs("year"), ld.<Integer>getAs("first_year"));
    assertEquals(last.<Integer>getAs("year"), ld.<Integer>getAs("last_year"));
    assertEquals(last.<Double>getAs("learning_rate") - first.<Double>getAs("learning_rate"),
        ld.<Double>getAs("d_learning_rate"), 1e-12);
    assertEquals(last.<Double>getAs("log_productivity_eur") - first.<Double>getAs("log_productivity_eur"),
        ld.<Double>getAs("d_log_productivity_eur"), 1e-12);
    assertTrue(spark != null);
  }

  @Test
  void everyColumnOfTheRealStudysTablesIsInTheCodebook() throws Exception {
    // The TL2 panel and the real data's columns exist only here, not in the sample lakehouse.
    assertEquals(List.of(), CodebookCoverageTest.undocumented(lakehouse, 15),
        "columns the real study writes that docs/CODEBOOK.md does not name");
  }

  @Test
  void unusedFilesAreIgnoredWithANote() throws Exception {
    JsonNode m;
    try (Stream<Path> s = Files.list(lakehouse.resolve("_runs"))) {
      m = new ObjectMapper().readTree(s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow().toFile());
    }
    JsonNode ingest = m.path("stages").get(0);
    assertTrue(ingest.path("notes").toString().contains("nama_10r_2gvagr is not used by this configuration"),
        ingest.path("notes").toString());
    ingest.path("counts").path("files").forEach(f -> {
      if (f.path("status").asText().equals("skipped")) {
        // The unused dataset, and the gzip copy of the 2017 learning file beside its plain copy.
        assertTrue(f.path("file").asText().contains("nama_10r_2gvagr") || f.path("why").asText()
            .startsWith("same content as"), f.toString());
      } else {
        assertTrue(f.path("reconciled").asBoolean(), f.toString());
        assertTrue(!f.path("dataset").asText().equals("nama_10r_2gvagr"), f.toString());
      }
    });
  }

  @Test
  void reportRendersInEveryFormatWithSourcesAndTheLearningCities() throws Exception {
    Path dir;
    try (Stream<Path> s = Files.list(reports)) {
      dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    for (String f : List.of("summary.html", "summary.pdf", "tables.xlsx", "codebook.md", "csv/analysis_panel.csv",
        "csv/learning_cities.csv")) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
    String html = Files.readString(dir.resolve("summary.html"));
    // Sources with their years and file names, the two vintages of the learning file apart.
    assertTrue(html.contains("trng_lfse_04 (2000-2015"), "learning source of 2017 and its years");
    assertTrue(html.contains("trng_lfse_04 (2000-2023"), "learning source of 2024 and its years");
    assertTrue(html.contains("eurostat_2024/trng_lfse_04.tsv"), "file names with their vintage");
    // Espoo (Helsinki-Uusimaa), Swansea (West Wales and The Valleys) and, with the NUTS 2021 files, Cork (Southern).
    assertTrue(html.contains("FI1B Helsinki-Uusimaa"), "Espoo's region");
    assertTrue(html.contains("UKL1 West Wales and The Valleys"), "Swansea's region");
    assertTrue(html.contains("IE05 Southern"), "Cork's region");
    // Learning cities outside NUTS: what the OECD file holds for them, and what is missing.
    assertTrue(html.contains("not a NUTS region (ME09): the input holds only employment_persons (DF_GDP, "
        + "2005-2024); no regional GDP or learning rate"), "Mexico City");
    // The headline names the vintage of its learning rates, and the index ranks Helsinki-Uusimaa in words.
    assertTrue(html.contains("(learning rates: trng_lfse_04 (eurostat_2024))"), "vintage in the headline");
    assertTrue(html.contains("Data: learning rates from trng_lfse_04 (eurostat_2024); GDP from nama_10r_3gdp "
        + "(eurostat_2024) in 5155 region-years, nama_10r_2gdp (eurostat_2017) in 508 region-years; employment from "
        + "DF_GDP (oecd) in 3878 region-years, lfst_r_lfe2emp (eurostat_2017) in 1785 region-years."),
        "every source of the panel's values, with its vintage");
    assertTrue(html.matches("(?s).*Helsinki-Uusimaa \\(FI1B\\) scores [0-9.]+ and ranks \\d+\\w\\w of \\d+ "
        + "regions.*"), "FI1B in the index");
    assertTrue(html.matches("(?s).*West Wales and The Valleys \\(UKL1\\) scores [0-9.]+ and ranks.*"), "UKL1");
    assertTrue(html.contains("Coverage map"), "coverage map");
    assertTrue(html.contains("Leaving out learning rates flagged as of low reliability"), "reliability check");
    // The report opens with the headline in plain words, then the map of learning rates, then productivity's.
    int headline = html.indexOf("class=\"headline\">A region with 1 percentage point more adults");
    assertTrue(headline > 0 && headline < html.indexOf("id=\"map-learning\"")
        && html.indexOf("id=\"map-learning\"") < html.indexOf("id=\"map-productivity\""), "headline, then maps");
    // The OECD TL2 panel's map: Baden-Württemberg and North East England whole (NUTS 1), Helsinki-Uusimaa as a
    // NUTS 2 region; Açores and Madeira (outside the embedded boundaries) counted in the caption.
    assertTrue(html.contains("id=\"map-learning-tl2\"") && html.contains("id='map-learning-tl2-DE1'")
        && html.contains("id='map-learning-tl2-UKC'") && html.contains("id='map-learning-tl2-FI1B'")
        && !html.contains("id='map-learning-tl2-DE11'") && !html.contains("id='map-learning-tl2-UKC1'"), "TL2 map");
    assertTrue(html.matches("(?s).*Not drawn, for want of NUTS 2021 boundaries in the map: \\d+ regions \\([^)]*PT "
        + "2\\).*"), "regions without boundaries counted by country");
    List<String> pages = org.learningregions.report.RenderedReport.pdfText(dir.resolve("summary.pdf"));
    assertTrue(pages.get(0).contains("A region with 1 percentage point more adults"), "PDF opens with the headline");
    assertTrue(String.join(" ", pages).indexOf("Adults in education and training, by region.") < String.join(" ",
        pages).indexOf("Output per person employed, by region."), "PDF: learning map before productivity map");
    // Helsinki-Uusimaa in the colour of its class, as Chromium draws it.
    org.learningregions.report.RenderedReport.assertMapsAsReadersSeeThem(dir, "FI1B", tmp, "real-chromium.png");
  }
}
