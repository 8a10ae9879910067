package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.LearningRegionsException;
import org.learningregions.SparkTestSession;
import org.learningregions.TestContexts;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.Tables;

/** Real Eurostat 2017-vintage bulk files and an OECD SDMX-CSV excerpt, and broken copies of them. */
@Tag("slow")
class RealEurostatIngestTest {
  @TempDir
  static Path tmp;

  static TestContexts.TestRun ctx;
  static RunManifest.Stage firstIngest;
  static Dataset<Row> silver;

  @BeforeAll
  static void ingestRealFiles() {
    ctx = TestContexts.context(tmp.resolve("lh"), Map.of());
    Path real = SparkTestSession.shared().resolve("data/real/eurostat_2017");
    ctx.ingest(List.of(
        SparkTestSession.resource("real/trng_lfse_04.tsv").toString(),
        SparkTestSession.resource("real/nama_10r_2gdp.tsv").toString(),
        real.resolve("lfst_r_lfe2emp.tsv").toString(),
        real.resolve("nama_10r_2gvagr.tsv").toString(),
        SparkTestSession.resource("real/OECD_REG_DEMO_DF_POP_5Y_sdmxcsv_excerpt.csv").toString()));
    firstIngest = ctx.lastStage();
    silver = ctx.lake().read(Tables.REGIONAL_INDICATOR).persist();
  }

  static Row one(String where) {
    List<Row> rows = silver.filter(where).collectAsList();
    assertEquals(1, rows.size(), where);
    return rows.get(0);
  }

  @Test
  void readsOlderHeaderWithDescendingYearsValuesAndFlags() {
    Row at = one("indicator = 'lifelong_learning_rate' and sex = 'T' and region_code = 'AT' and year = 2004");
    assertEquals(11.6, at.<Double>getAs("value"), 1e-12);
    assertEquals("b", at.getAs("flag"));
    assertEquals(0, (int) at.<Integer>getAs("nuts_level"));
    Row fi = one("indicator = 'lifelong_learning_rate' and sex = 'T' and region_code = 'FI1B' and year = 2015");
    assertEquals(28.9, fi.<Double>getAs("value"), 1e-12);
    assertEquals("", fi.getAs("flag"));
    assertEquals("FI", fi.getAs("country"));
    Row missing = one("indicator = 'lifelong_learning_rate' and sex = 'F' and region_code = 'FI1B' and year = 2004");
    assertTrue(missing.isNullAt(missing.fieldIndex("value")), "':' is not available");
  }

  @Test
  void keepsMultiLetterFlagsVerbatim() {
    // PC,F,Y25-64,ITC2 2006 is "4.6 bu": one verbatim flag, parsed as the status set {b, u}.
    Row fi = one("indicator = 'lifelong_learning_rate' and sex = 'F' and region_code = 'ITC2' and year = 2006");
    assertEquals(4.6, fi.<Double>getAs("value"), 1e-12);
    assertEquals("bu", fi.getAs("flag"));
    assertEquals("bu", fi.getAs("obs_status"));
    assertTrue(fi.isNullAt(fi.fieldIndex("confidentiality")));
    // Pre-2025 confidential cells ("c", "bc") in lfst_r_lfe2emp: status b, confidentiality C.
    Row bc = silver.filter("source_dataset = 'lfst_r_lfe2emp' and flag = 'bc'").head();
    assertEquals("b", bc.getAs("obs_status"));
    assertEquals("C", bc.getAs("confidentiality"));
    assertTrue(bc.isNullAt(bc.fieldIndex("value")));
  }

  @Test
  void harmonisesMixedNutsVersionsToNuts2021() {
    // The file is NUTS 2013 with NUTS 2010 rows left in: EL11 (2010) carries 2000-2009, EL51 (2013) 2010-2015; both
    // are Anatoliki Makedonia, Thraki, EL51 in NUTS 2021.
    Row old = one("indicator = 'lifelong_learning_rate' and sex = 'T' and region_code = 'EL51' and year = 2009");
    assertEquals(3.3, old.<Double>getAs("value"), 1e-12);
    assertEquals("b", old.getAs("flag"));
    assertEquals("EL11", old.getAs("source_region_code"));
    assertEquals("2010", old.getAs("source_nuts_version"));
    Row recent = one("indicator = 'lifelong_learning_rate' and sex = 'T' and region_code = 'EL51' and year = 2015");
    assertEquals(2.7, recent.<Double>getAs("value"), 1e-12);
    assertEquals("EL51", recent.getAs("source_region_code"));
    assertEquals("2013", recent.getAs("source_nuts_version"));
    // FR24 Centre (NUTS 2013) is FRB0 Centre-Val de Loire in NUTS 2016 and 2021: a pure recode.
    Row centre = one("indicator = 'lifelong_learning_rate' and sex = 'T' and region_code = 'FRB0' and year = 2015");
    assertEquals(17.7, centre.<Double>getAs("value"), 1e-12);
    assertEquals("FR24", centre.getAs("source_region_code"));
    assertEquals(0, silver.filter("region_code = 'FR24'").count(), "no NUTS 2013 code left in silver");
    // The ':' of EL11 in 2015 gives way to EL51's value, with a reason, not silently.
    Dataset<Row> q = ctx.lake().read(Tables.Q_REGIONAL_INDICATOR);
    assertEquals(1, q.filter("reason = 'duplicate_not_available' and column_ref = '2015' "
        + "and raw like 'PC,T,Y25-64,EL11\t%'").count());
    // Turkish statistical regions are NUTS 2021 codes with quoted, comma-holding names in the classification.
    Row tr = one("indicator = 'lifelong_learning_rate' and sex = 'T' and region_code = 'TR21' and year = 2014");
    assertEquals(4.9, tr.<Double>getAs("value"), 1e-12);
    assertEquals(2, (int) tr.<Integer>getAs("nuts_level"));
  }

  @Test
  void readsGdpAndMapsUnitsToIndicators() {
    Row de11 = one("indicator = 'gdp_eur_m' and region_code = 'DE11' and year = 2014");
    assertEquals(184808.0, de11.<Double>getAs("value"), 1e-9);
    assertEquals("nama_10r_2gdp", de11.getAs("source_dataset"));
    assertTrue(silver.filter("source_dataset = 'nama_10r_2gdp' and indicator = 'nama_10r_2gdp' and unit = 'EUR_HAB'")
        .count() > 0, "unmapped units keep the dataset code as indicator");
  }

  @Test
  void readsOecdSdmxCsvWithLabels() {
    Row r = one("source_dataset = 'DF_POP_5Y' and region_code = 'UKG13' and year = 2020");
    assertEquals("population", r.getAs("indicator"));
    assertEquals(17300.0, r.<Double>getAs("value"), 1e-9);
    assertEquals("A", r.getAs("flag"));
    Row co = one("source_dataset = 'DF_POP_5Y' and region_code = 'CO9100' and year = 1995");
    assertTrue(co.isNullAt(co.fieldIndex("nuts_level")), "non-NUTS OECD region keeps its code with no NUTS level");
  }

  @Test
  void everyObservationIsAccountedFor() {
    RunManifest.Stage ingest = firstIngest;
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files = (List<Map<String, Object>>) ingest.counts().get("files");
    Map<String, Object> trng = files.stream().filter(f -> f.get("file").toString().endsWith("trng_lfse_04.tsv"))
        .findFirst().orElseThrow();
    assertEquals(1455L * 16, trng.get("rows_read"));
    assertEquals(trng.get("rows_read"), (Long) trng.get("rows_accepted") + (Long) trng.get("rows_quarantined"));
    Dataset<Row> q = ctx.lake().read(Tables.Q_REGIONAL_INDICATOR);
    // UKI1 (NUTS 2010 Inner London) was split in 2013: quarantined with a reason, not dropped.
    assertEquals(16, q.filter("reason = 'nuts_boundary_change' and raw like 'PC,T,Y25-64,UKI1\t%'").count());
    for (String name : List.of("lfst_r_lfe2emp.tsv", "nama_10r_2gvagr.tsv", "nama_10r_2gdp.tsv",
        "OECD_REG_DEMO_DF_POP_5Y_sdmxcsv_excerpt.csv")) {
      Map<String, Object> f = files.stream().filter(x -> x.get("file").toString().endsWith(name)).findFirst()
          .orElseThrow();
      assertEquals(Boolean.TRUE, f.get("reconciled"), name);
      assertEquals(f.get("rows_read"), (Long) f.get("rows_accepted") + (Long) f.get("rows_quarantined"), name);
    }
    // 16203 rows x 17 years; 2565 - 1 rows x 15 years.
    assertEquals(16203L * 17, files.stream().filter(x -> x.get("file").toString().endsWith("lfst_r_lfe2emp.tsv"))
        .findFirst().orElseThrow().get("rows_read"));
  }

  @Test
  void brokenCopyQuarantinesBadCellsAndLinesOnly() throws Exception {
    Path broken = tmp.resolve("estat_trng_lfse_04.tsv");
    String header = "freq,unit,sex,age,geo\\TIME_PERIOD\t2019 \t2020 \n";
    Files.writeString(broken, header
        + "A,PC,T,Y25-64,AT11\t10.1 \t1x.5 b\n"
        + "A,PC,T,Y25-64,AT12\t10.2 \n"
        + "A,PC,T,Y25-64,AT13\t120.0 \t: c\n"
        + "A,PC,T,Y25-64,XX99\t5.0 \t5.1 \n"
        + "A,PC,T,Y25-64,AT21\t7.0 \t7.5 u\n", StandardCharsets.UTF_8);
    TestContexts.TestRun c = TestContexts.context(tmp.resolve("broken-lh"), Map.of());
    c.ingest(List.of(broken.toString()));
    List<Row> q = c.lake().read(Tables.Q_REGIONAL_INDICATOR).orderBy("line_no", "column_ref").collectAsList();
    List<String> reasons = q.stream().map(r -> r.getAs("line_no") + ":" + r.getAs("reason")).toList();
    assertEquals(List.of("2:unparseable_number", "3:wrong_field_count", "4:rate_out_of_range", "5:unknown_region",
        "5:unknown_region"), reasons);
    Dataset<Row> s = c.lake().read(Tables.REGIONAL_INDICATOR);
    assertEquals(4, s.count());
    assertEquals("u", s.filter("region_code = 'AT21' and year = 2020").head().getAs("flag"));
    Row conf = s.filter("region_code = 'AT13' and year = 2020").head();
    assertTrue(conf.isNullAt(conf.fieldIndex("value")));
    assertEquals("c", conf.getAs("flag"));
  }

  @Test
  void reingestingTheSameFileChangesNothing() {
    long before = ctx.lake().version(Tables.REGIONAL_INDICATOR);
    long bronze = ctx.lake().version(Tables.BRONZE_EUROSTAT);
    ctx.ingest(List.of(SparkTestSession.resource("real/trng_lfse_04.tsv").toString()));
    assertEquals(before, ctx.lake().version(Tables.REGIONAL_INDICATOR));
    assertEquals(bronze, ctx.lake().version(Tables.BRONZE_EUROSTAT));
    assertEquals("unchanged", ctx.lastStage().status(), "the file is recognised as ingested without reading it");
  }

  @Test
  void fileLevelProblemsStopTheFileWithOneLine() throws Exception {
    Path noGeo = tmp.resolve("estat_bad.tsv");
    Files.writeString(noGeo, "unit,sex\\time\t2019 \nPC,T\t1.0 \n");
    LearningRegionsException e = assertThrows(LearningRegionsException.class,
        () -> TestContexts.context(tmp.resolve("lh3"), Map.of()).ingest(List.of(noGeo.toString())));
    assertTrue(e.getMessage().contains("estat_bad.tsv") && e.getMessage().contains("missing required column geo"),
        e.getMessage());
    Path latin1 = tmp.resolve("estat_latin.tsv");
    Files.write(latin1, "unit,geo\\time\t2019 \nPC,AT\t1.0 \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    LearningRegionsException e2 = assertThrows(LearningRegionsException.class,
        () -> TestContexts.context(tmp.resolve("lh4"), Map.of()).ingest(List.of(latin1.toString())));
    assertTrue(e2.getMessage().contains("not valid UTF-8"), e2.getMessage());
  }
}
