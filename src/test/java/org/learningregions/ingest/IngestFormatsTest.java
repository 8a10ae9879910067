package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.LearningRegionsException;
import org.learningregions.SparkTestSession;
import org.learningregions.TestContexts;
import org.learningregions.lake.FileRegistry;
import org.learningregions.lake.IngestedFile;
import org.learningregions.lake.Tables;

/**
 * Formats and rules that the real files in ../shared do not exercise, on small files built from their layouts:
 * Eurostat SDMX-CSV of both flag generations, OECD.Stat Latin-1 exports, Parquet microdata, NUTS merges, revised
 * files, and broken copies that must stop a file whole.
 */
class IngestFormatsTest {
  @TempDir
  Path tmp;

  private TestContexts.TestRun ingest(String lakehouse, Map<String, String> overrides, Path... files) {
    TestContexts.TestRun ctx = TestContexts.context(tmp.resolve(lakehouse), overrides);
    ctx.ingest(Arrays.stream(files).map(Path::toString).toList());
    return ctx;
  }

  private static Row one(Dataset<Row> df, String where) {
    List<Row> rows = df.filter(where).collectAsList();
    assertEquals(1, rows.size(), where);
    return rows.get(0);
  }

  private Path write(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fileRecord(TestContexts.TestRun ctx, String name) {
    List<Map<String, Object>> files = (List<Map<String, Object>>) ctx.lastStage().counts().get("files");
    return files.stream().filter(f -> f.get("file").toString().endsWith(name)).findFirst().orElseThrow();
  }

  @Test
  void eurostatSdmxCsvBeforeAndAfterTheFlagSplit() throws IOException {
    // Values of trng_lfse_04 (2017 vintage) in the SDMX-CSV layout, with the pre-2025 single flag column.
    Path before = write("estat_trng_lfse_04_sdmx.csv", """
        DATAFLOW,LAST UPDATE,freq,unit,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG
        ESTAT:TRNG_LFSE_04(1.0),14/05/17 23:00:00,A,PC,T,Y25-64,AT,2004,11.6,b
        ESTAT:TRNG_LFSE_04(1.0),14/05/17 23:00:00,A,PC,T,Y25-64,FI1B,2015,28.9,
        ESTAT:TRNG_LFSE_04(1.0),14/05/17 23:00:00,A,PC,F,Y25-64,ITC2,2006,4.6,bu
        ESTAT:TRNG_LFSE_04(1.0),14/05/17 23:00:00,A,PC,T,Y25-64,AT11,2010,,s
        """);
    // After 27 January 2025: status in OBS_FLAG, confidentiality in CONF_STATUS.
    Path after = write("estat_lfst_r_lfe2emp_sdmx.csv", """
        DATAFLOW,LAST UPDATE,freq,unit,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS
        ESTAT:LFST_R_LFE2EMP(1.0),27/01/25 23:00:00,A,THS,T,Y_GE15,AT11,2023,146.2,,F
        ESTAT:LFST_R_LFE2EMP(1.0),27/01/25 23:00:00,A,THS,T,Y_GE15,AT12,2023,,,C
        ESTAT:LFST_R_LFE2EMP(1.0),27/01/25 23:00:00,A,THS,T,Y_GE15,AT13,2023,1000.5,bp,
        ESTAT:LFST_R_LFE2EMP(1.0),27/01/25 23:00:00,A,THS,F,Y_GE15,AT13,2023,500.1,i,
        """);
    TestContexts.TestRun ctx = ingest("lh", Map.of(), before, after);
    Dataset<Row> s = ctx.lake().read(Tables.REGIONAL_INDICATOR);
    Row at = one(s, "source_dataset = 'trng_lfse_04' and region_code = 'AT' and year = 2004");
    assertEquals("lifelong_learning_rate", at.getAs("indicator"));
    assertEquals(11.6, at.<Double>getAs("value"), 1e-12);
    assertEquals("b", at.getAs("obs_status"));
    assertEquals("bu", one(s, "region_code = 'ITC2'").getAs("obs_status"));
    // Pre-2025 s ("Eurostat estimate") is status i since the split.
    Row s2010 = one(s, "region_code = 'AT11' and year = 2010");
    assertEquals("s", s2010.getAs("flag"));
    assertEquals("i", s2010.getAs("obs_status"));
    Row free = one(s, "source_dataset = 'lfst_r_lfe2emp' and region_code = 'AT11'");
    assertEquals("employment_thousand", free.getAs("indicator"));
    assertTrue(free.isNullAt(free.fieldIndex("confidentiality")), "F is free for publication");
    Row conf = one(s, "source_dataset = 'lfst_r_lfe2emp' and region_code = 'AT12'");
    assertTrue(conf.isNullAt(conf.fieldIndex("value")));
    assertEquals("C", conf.getAs("confidentiality"));
    assertEquals("bp", one(s, "region_code = 'AT13' and sex = 'T'").getAs("obs_status"));
    assertEquals("i", one(s, "region_code = 'AT13' and sex = 'F'").getAs("obs_status"));
    assertEquals(4L, fileRecord(ctx, "estat_trng_lfse_04_sdmx.csv").get("rows_accepted"));
  }

  @Test
  void pre2025TsvFlagsTranslateToTheNewCodeLists() throws IOException {
    Path tsv = write("estat_nama_10r_2gdp.tsv", "unit,geo\\time\t2015 \t2014 \n"
        + "MIO_EUR,AT11\t5.0 s\t: z\n"
        + "MIO_EUR,AT12\t: c\t7.0 C\n");
    Dataset<Row> s = ingest("lh", Map.of(), tsv).lake().read(Tables.REGIONAL_INDICATOR);
    assertEquals("i", one(s, "region_code = 'AT11' and year = 2015").getAs("obs_status"));
    assertEquals("m", one(s, "region_code = 'AT11' and year = 2014").getAs("obs_status"));
    Row c = one(s, "region_code = 'AT12' and year = 2015");
    assertEquals("", c.getAs("obs_status"));
    assertEquals("C", c.getAs("confidentiality"));
    assertEquals("C", one(s, "region_code = 'AT12' and year = 2014").getAs("confidentiality"));
  }

  @Test
  void oecdStatLatin1Export() throws IOException {
    String text = """
        "REG_ID","Region","VAR","Indicator","TIME","Year","Unit Code",\
        "Unit","PowerCode Code","PowerCode","Value","Flag Codes","Flags"
        "FRL0","Provence-Alpes-Côte d'Azur","GDP","Regional GDP",\
        "2015","2015","EUR","Euro","6","Millions","155123.4","",""
        "FRL0","Provence-Alpes-Côte d'Azur","GDP","Regional GDP",\
        "2016","2016","EUR","Euro","6","Millions","157000","E","Estimated value"
        "US06","California, United States","GDP","Regional GDP",\
        "2015","2015","USD","US Dollar","6","Millions","2500000","",""
        """;
    Path csv = tmp.resolve("region_econom.csv");
    Files.write(csv, text.getBytes(StandardCharsets.ISO_8859_1));
    TestContexts.TestRun ctx = ingest("lh", Map.of(), csv);
    assertEquals("ISO-8859-1", fileRecord(ctx, "region_econom.csv").get("charset"));
    // Lines reach Spark as UTF-8 bytes: a Latin-1 line is decoded on the way, not passed through.
    assertEquals(text.lines().skip(1).findFirst().orElseThrow(),
        one(ctx.lake().read(Tables.BRONZE_SDMX), "line_no = 2").<String>getAs("raw"));
    Dataset<Row> s = ctx.lake().read(Tables.REGIONAL_INDICATOR);
    Row fr = one(s, "region_code = 'FRL0' and year = 2016");
    assertEquals(157000.0, fr.<Double>getAs("value"), 1e-9);
    assertEquals("E", fr.getAs("flag"));
    assertEquals("e", fr.getAs("obs_status"));
    assertEquals("region_econom", fr.getAs("indicator"), "an unmapped dataset keeps its code as indicator");
    assertEquals("EUR", fr.getAs("unit"));
    assertEquals(2, (int) fr.<Integer>getAs("nuts_level"));
    Row us = one(s, "region_code = 'US06'");
    assertTrue(us.isNullAt(us.fieldIndex("nuts_level")), "an OECD region with no NUTS code keeps its code");
    assertEquals("OECD-TL", us.getAs("source_nuts_version"));
    String raw = ctx.lake().read(Tables.BRONZE_SDMX).filter("line_no = 2").head().getAs("raw");
    assertTrue(raw.contains("Côte d'Azur"), raw);
  }

  @Test
  void parquetMicrodataWithMappedColumns() throws IOException {
    StructType schema = new StructType().add("pid", DataTypes.StringType).add("year", DataTypes.IntegerType)
        .add("region_code", DataTypes.StringType).add("age", DataTypes.IntegerType).add("sex", DataTypes.StringType)
        .add("education_level", DataTypes.StringType).add("labour_status", DataTypes.StringType)
        .add("formal", DataTypes.BooleanType).add("non_formal", DataTypes.IntegerType)
        .add("wgt", DataTypes.DoubleType).add("stratum", DataTypes.StringType).add("psu", DataTypes.StringType);
    List<Row> rows = List.of(
        RowFactory.create("r1", 2020, "AT11", 34, "F", "ISCED5-8", "employed", true, 0, 812.5, "s1", "p1"),
        RowFactory.create("r2", 2020, "AT11", 51, "M", "ISCED3-4", "inactive", false, 1, 640.0, "s1", "p2"),
        RowFactory.create("r3", 2020, "AT11", 45, "M", "ISCED3-4", "employed", false, 0, 0.0, "s1", "p2"));
    Path dir = tmp.resolve("parquet-out");
    SparkTestSession.get().createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    Path part;
    try (Stream<Path> files = Files.list(dir)) {
      part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Files.createDirectories(tmp.resolve("in"));
    Path file = Files.copy(part, tmp.resolve("in/lfs_2020.parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    TestContexts.TestRun ctx = ingest("lh", Map.of("microdata.columns.respondent_id", "pid",
        "microdata.columns.weight", "wgt"),
        file);
    Dataset<Row> s = ctx.lake().read(Tables.LEARNING_PARTICIPATION);
    assertEquals(2, s.count());
    Row r2 = one(s, "respondent_id = 'r2'");
    assertEquals(640.0, r2.<Double>getAs("weight"), 1e-12);
    assertEquals(Boolean.TRUE, r2.getAs("non_formal"));
    assertEquals(Boolean.FALSE, r2.getAs("formal"));
    Row q = one(ctx.lake().read(Tables.Q_LEARNING_PARTICIPATION), "line_no = 3");
    assertEquals("non_positive_weight", q.getAs("reason"));
    assertTrue(q.<String>getAs("raw").contains("\"pid\":\"r3\""), q.<String>getAs("raw"));
    Map<String, Object> rec = fileRecord(ctx, "lfs_2020.parquet");
    assertEquals("MICRODATA_PARQUET", rec.get("format"));
    assertEquals(3L, rec.get("rows_read"));
    assertEquals(Boolean.TRUE, rec.get("reconciled"));
  }

  @Test
  void mergedRegionsSumAdditiveValuesOnly() throws IOException {
    // A NUTS 2006 file: Brandenburg-Nordost (DE41) and -Suedwest (DE42) merged into DE40 in NUTS 2010.
    Path gdp = write("v2006/estat_nama_10r_2gdp.tsv", "unit,geo\\time\t2011 \t2010 \n"
        + "MIO_EUR,DE41\t10.5 \t11.0 \n"
        + "MIO_EUR,DE42\t20.25 e\t: \n"
        + "MIO_EUR,DE30\t100.0 \t101.0 \n");
    Path rate = write("v2006/estat_trng_lfse_04.tsv", "unit,sex,age,geo\\time\t2011 \n"
        + "PC,T,Y25-64,DE41\t5.0 \n"
        + "PC,T,Y25-64,DE42\t6.0 \n"
        + "PC,T,Y25-64,DE30\t9.0 \n");
    TestContexts.TestRun ctx = ingest("lh", Map.of(), gdp, rate);
    Dataset<Row> s = ctx.lake().read(Tables.REGIONAL_INDICATOR);
    Row de40 = one(s, "indicator = 'gdp_eur_m' and region_code = 'DE40' and year = 2011");
    assertEquals(30.75, de40.<Double>getAs("value"), 1e-12);
    assertEquals("DE41+DE42", de40.getAs("source_region_code"));
    assertEquals("2006", de40.getAs("source_nuts_version"));
    assertEquals(2, (int) de40.<Integer>getAs("source_rows"));
    assertEquals("e", de40.getAs("flag"), "a merged value carries every flag of its parts");
    assertEquals(101.0, one(s, "indicator = 'gdp_eur_m' and region_code = 'DE30' and year = 2010")
        .<Double>getAs("value"), 1e-12);
    Dataset<Row> q = ctx.lake().read(Tables.Q_REGIONAL_INDICATOR);
    // 2010: DE42 is not available, so DE40 cannot be formed: both parts wait in quarantine.
    assertEquals(2, q.filter("reason = 'nuts_merge_incomplete' and column_ref = '2010'").count());
    // A rate cannot be summed over the merged regions.
    assertEquals(2, q.filter("reason = 'nuts_merge_non_additive'").count());
    assertEquals(0, s.filter("indicator = 'lifelong_learning_rate' and region_code = 'DE40'").count());
    Map<String, Object> rec = fileRecord(ctx, "estat_nama_10r_2gdp.tsv");
    assertEquals(6L, rec.get("rows_read"));
    assertEquals(4L, rec.get("rows_accepted"), "the merged row counts its two source rows");
    assertEquals(2L, rec.get("rows_quarantined"));
  }

  @Test
  void mergedRatesAreRecomputedFromTheirDenominator() throws IOException {
    // DE41 and DE42 (NUTS 2006) merged into DE40: the rate of DE40 is the participants over the population, i.e. the
    // parts' rates weighted by their LFS population of the same sex and age.
    Path rate = write("v2006w/estat_trng_lfse_04.tsv", "unit,sex,age,geo\\time\t2011 \n"
        + "PC,T,Y25-64,DE41\t5.0 \n"
        + "PC,T,Y25-64,DE42\t6.0 b\n"
        + "PC,F,Y25-64,DE41\t7.0 \n"
        + "PC,F,Y25-64,DE42\t8.0 \n"
        + "PC,T,Y25-64,DE30\t9.0 \n");
    Path pop = write("v2006w/estat_lfst_r_lfsd2pop.tsv", "unit,citizen,sex,age,geo\\time\t2011 \n"
        + "THS,TOTAL,T,Y25-64,DE41\t300.0 \n"
        + "THS,TOTAL,T,Y25-64,DE42\t100.0 \n"
        + "THS,TOTAL,T,Y25-64,DE30\t2000.0 \n");
    TestContexts.TestRun ctx = ingest("lh", Map.of(), rate, pop);
    Dataset<Row> s = ctx.lake().read(Tables.REGIONAL_INDICATOR);
    Row de40 = one(s, "indicator = 'lifelong_learning_rate' and sex = 'T' and region_code = 'DE40'");
    assertEquals((5.0 * 300 + 6.0 * 100) / 400, de40.<Double>getAs("value"), 1e-12);
    assertEquals("DE41+DE42", de40.getAs("source_region_code"));
    assertEquals(2, (int) de40.<Integer>getAs("source_rows"));
    assertEquals("b", de40.getAs("flag"));
    assertEquals(400.0, one(s, "indicator = 'lfs_population_thousand' and region_code = 'DE40'")
        .<Double>getAs("value"), 1e-12);
    // No female population in the run: the female rates cannot be recomputed and are quarantined, with the cause.
    Dataset<Row> q = ctx.lake().read(Tables.Q_REGIONAL_INDICATOR);
    List<Row> female = q.filter("raw like 'PC,F,%'").collectAsList();
    assertEquals(2, female.size());
    for (Row r : female) {
      assertEquals("nuts_merge_non_additive", r.getAs("reason"));
      String detail = r.getAs("detail");
      assertTrue(detail.contains("no lfs_population_thousand for DE4"), detail);
    }
    assertEquals(0, s.filter("sex = 'F' and region_code = 'DE40'").count());
    Map<String, Object> rec = fileRecord(ctx, "estat_trng_lfse_04.tsv");
    assertEquals(5L, rec.get("rows_read"));
    assertEquals(3L, rec.get("rows_accepted"));
    assertEquals(2L, rec.get("rows_quarantined"));
  }

  @Test
  void csvFieldsWithDoubledQuotesAndCommasAreReadAsRfc4180() throws IOException {
    Path registry = write("quotes/learning_cities.csv", "city,country,region_code,year_joined,source\n"
        + "\"Say \"\"hi\"\", then go\",AT,AT13,2014,\"a, b\"\n");
    TestContexts.TestRun ctx = ingest("lh", Map.of(), registry);
    Row city = one(ctx.lake().read(Tables.LEARNING_CITY_REGISTRY), "region_code = 'AT13'");
    assertEquals("Say \"hi\", then go", city.getAs("city"));
    assertEquals("a, b", city.getAs("source"));
    assertEquals(2014, (int) city.<Integer>getAs("year_joined"));
    // A quoted field broken across lines: both halves are quarantined, the second is not read as a record.
    Path broken = write("quotes2/learning_cities.csv", "city,country,region_code,year_joined,source\n"
        + "\"Two\nlines\",AT,AT13,2014,x\nGraz,AT,AT22,2015,y\n");
    TestContexts.TestRun c2 = ingest("lh2", Map.of(), broken);
    assertEquals(List.of("Graz"), c2.lake().read(Tables.LEARNING_CITY_REGISTRY).select("city").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(2, c2.lake().read(Tables.Q_LEARNING_CITY_REGISTRY)
        .filter("detail like '%unbalanced_quotes%' or reason = 'wrong_field_count'").count());
  }

  @Test
  void rowLevelRulesQuarantineWithStableReasons() throws IOException {
    Path gdp = write("estat_nama_10r_2gdp.tsv", "unit,geo\\time\t2015 \t1850 \n"
        + "MIO_EUR,AT11\t-5.0 \t1.0 \n"
        + "MIO_EUR,AT12\t7.0 \t2.0 \n"
        + "MIO_EUR,AT12\t7.5 \t2.0 \n"
        + "MIO_EUR,AT13\t8.0 \t3.0 \n"
        + "MIO_EUR,AT13\t8.0 \t3.0 \n");
    TestContexts.TestRun ctx = ingest("lh", Map.of(), gdp);
    List<String> reasons = ctx.lake().read(Tables.Q_REGIONAL_INDICATOR).orderBy("line_no", "column_ref")
        .collectAsList().stream().map(r -> r.getAs("line_no") + "/" + r.getAs("column_ref") + ":" + r.getAs("reason"))
        .toList();
    assertEquals(List.of("2/1850:year_out_of_range", "2/2015:negative_count", "3/1850:year_out_of_range",
        "3/2015:duplicate_conflict", "4/1850:year_out_of_range", "4/2015:duplicate_conflict",
        "5/1850:year_out_of_range", "6/1850:year_out_of_range", "6/2015:duplicate_identical"), reasons);
    assertEquals(8.0, one(ctx.lake().read(Tables.REGIONAL_INDICATOR), "region_code = 'AT13'").<Double>getAs("value"));
  }

  @Test
  void keysThatMeetOnlyOnceParsedOrMappedAreStillJudgedAsDuplicates() throws IOException {
    // Each file's lines differ as written, so a judgement made on the lines alone would let every cell through; each
    // is ingested on its own, so that no other file's case decides how its keys are judged.
    Map<String, String> files = new java.util.LinkedHashMap<>();
    // Codes padded with blanks: the same region.
    files.put("padded", "unit,geo\\time\t2015 \n"
        + "MIO_EUR,AT11\t5.0 \nMIO_EUR, AT11 \t6.0 \nMIO_EUR,AT12\t7.0 \n");
    // Two year labels for one year.
    files.put("years", "unit,geo\\time\t2015 \t02015 \n"
        + "MIO_EUR,AT11\t5.0 \t6.0 \nMIO_EUR,AT12\t7.0 \t7.0 \n");
    // FR24 (NUTS 2013) is FRB0 after the 2016 recode: in a NUTS 2021 file both name one region.
    files.put("recoded", "unit,geo\\time\t2015 \n"
        + "MIO_EUR,AT11\t5.0 \nMIO_EUR,AT12\t7.0 \nMIO_EUR,FRB0\t8.0 \nMIO_EUR,FR24\t9.0 \n");
    // SDMX-CSV, one observation per line: a repeated key, and two spellings of one year.
    String sdmx = "DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n";
    String flow = "ESTAT:NAMA_10R_2GDP(1.0),14/05/17 23:00:00,A,MIO_EUR,";
    files.put("sdmx-repeated", sdmx + flow + "AT11,2015,5.0,\n" + flow + "AT11,2015,6.0,\n"
        + flow + "AT12,2015,7.0,\n");
    files.put("sdmx-years", sdmx + flow + "AT11,2015,5.0,\n" + flow + "AT11,02015,6.0,\n"
        + flow + "AT12,2015,7.0,\n");
    Map<String, String> conflicts = Map.of("padded", "[2:2015, 3:2015]", "years", "[2:02015, 2:2015]",
        "recoded", "[4:2015, 5:2015]", "sdmx-repeated", "[2:2015, 3:2015]", "sdmx-years", "[2:2015, 3:02015]");
    Map<String, Long> accepted = Map.of("padded", 1L, "years", 1L, "recoded", 2L, "sdmx-repeated", 1L,
        "sdmx-years", 1L);
    for (Map.Entry<String, String> f : files.entrySet()) {
      TestContexts.TestRun ctx = ingest("lh-" + f.getKey(), Map.of(), write(f.getKey() + "/estat_nama_10r_2gdp."
          + (f.getKey().startsWith("sdmx") ? "csv" : "tsv"), f.getValue()));
      Dataset<Row> q = ctx.lake().read(Tables.Q_REGIONAL_INDICATOR);
      assertEquals(conflicts.get(f.getKey()), q.filter("reason = 'duplicate_conflict'")
          .orderBy("line_no", "column_ref").collectAsList().stream()
          .map(r -> r.getAs("line_no") + ":" + r.getAs("column_ref")).toList().toString(), f.getKey());
      assertEquals(f.getKey().equals("years") ? 1 : 0, q.filter("reason = 'duplicate_identical'").count(),
          "AT12 in both columns of one year");
      assertEquals(accepted.get(f.getKey()), ctx.lake().read(Tables.REGIONAL_INDICATOR).count(), f.getKey());
    }

    // Two files of one dataset and folder in one run: one key, one file.
    Path first = write("same/a.tsv", "unit,geo\\time\t2015 \nMIO_EUR,AT11\t5.0 \nMIO_EUR,AT12\t7.0 \n");
    Path second = write("same/b.tsv", "unit,geo\\time\t2015 \nMIO_EUR,AT11\t5.0 \nMIO_EUR,AT13\t8.0 \n");
    TestContexts.TestRun both = TestContexts.context(tmp.resolve("lh2"), Map.of());
    both.run(new IngestStage(IngestSettings.from(both.config()), List.of(first.toString(), second.toString()),
        "nama_10r_2gdp", false), false);
    assertEquals(3, both.lake().read(Tables.REGIONAL_INDICATOR).count());
    assertEquals(1, both.lake().read(Tables.Q_REGIONAL_INDICATOR).filter("reason = 'duplicate_identical'").count());
  }

  @Test
  void microdataDuplicateKeysAreJudgedAmongValidRowsOnly() throws IOException {
    String header = "survey,year,respondent_id,region_code,age,sex,education_level,labour_status,formal,non_formal,"
        + "informal,hours,weight,stratum,psu\n";
    String row = ",BE10,45,F,ISCED3-4,employed,0,1,0,3,792.5,S1,P1\n";
    Path csv = write("dups/microdata_lfs_dups.csv", header
        + "LFS,2015,a" + row
        + "LFS,2015,a" + row // an exact repeat: the first copy stays
        + "LFS,2015,b" + row
        + "LFS,2015,b" + row.replace("792.5", "800.0") // the same person twice with different contents
        + "LFS,2015,c" + row
        + "LFS,2015,c" + row.replace("792.5", "-1") // a repeat that is invalid for its own reason
        + "LFS,2016,c" + row // the same id in another year is another respondent
        + " LFS,2015, d" + row
        + "LFS,2015,d" + row); // the same key (fields are trimmed), not the same line: a conflict
    TestContexts.TestRun ctx = ingest("lh", Map.of(), csv);
    List<String> accepted = ctx.lake().read(Tables.LEARNING_PARTICIPATION).orderBy("source_line")
        .collectAsList().stream().map(r -> r.getAs("source_line") + ":" + r.getAs("respondent_id") + "/"
            + r.getAs("year")).toList();
    assertEquals(List.of("2:a/2015", "6:c/2015", "8:c/2016"), accepted);
    List<String> reasons = ctx.lake().read(Tables.Q_LEARNING_PARTICIPATION).orderBy("line_no").collectAsList()
        .stream().map(r -> r.getAs("line_no") + ":" + r.getAs("reason")).toList();
    assertEquals(List.of("3:duplicate_identical", "4:duplicate_conflict", "5:duplicate_conflict",
        "7:non_positive_weight", "9:duplicate_conflict", "10:duplicate_conflict"), reasons);
    assertEquals(9L, fileRecord(ctx, "microdata_lfs_dups.csv").get("rows_read"));
  }

  @Test
  void aRevisedFileReplacesExactlyItsOwnRowsInOneCommitPerTable() throws IOException {
    // Version 1: AT11 2014 is a negative GDP (quarantined); AT12 as published.
    Path v1 = write("v1/estat_nama_10r_2gdp.tsv", "unit,geo\\time\t2015 \t2014 \n"
        + "MIO_EUR,AT11\t5.0 p\t-4.0 \nMIO_EUR,AT12\t7.0 \t6.0 \n");
    Path other = write("v1/estat_lfst_r_lfe2emp.tsv", "unit,sex,age,geo\\time\t2015 \n"
        + "THS,T,Y_GE15,AT11\t100.0 \n");
    TestContexts.TestRun ctx = ingest("lh", Map.of(), v1, other);
    long silverV1 = ctx.lake().version(Tables.REGIONAL_INDICATOR);
    long quarantineV1 = ctx.lake().version(Tables.Q_REGIONAL_INDICATOR);
    assertEquals(1, ctx.lake().read(Tables.Q_REGIONAL_INDICATOR).count());
    // Version 2 of the same source (same name, new content): AT11 revised, no negative value, AT13 added.
    Path v2 = write("v2/estat_nama_10r_2gdp.tsv", "unit,geo\\time\t2015 \t2014 \n"
        + "MIO_EUR,AT11\t5.2 \t4.0 \nMIO_EUR,AT13\t9.0 \t8.0 \n");
    ctx.ingest(List.of(v2.toString()));
    assertEquals("revised", fileRecord(ctx, "estat_nama_10r_2gdp.tsv").get("status"));
    Dataset<Row> s = ctx.lake().read(Tables.REGIONAL_INDICATOR);
    assertEquals(4, s.filter("source_file = 'estat_nama_10r_2gdp.tsv'").count(), "only the revised file's rows");
    assertEquals(5.2, one(s, "region_code = 'AT11' and year = 2015 and indicator = 'gdp_eur_m'")
        .<Double>getAs("value"), 1e-12);
    assertEquals(0, s.filter("region_code = 'AT12'").count(), "rows the revision dropped are gone");
    assertEquals(1, s.filter("source_file = 'estat_lfst_r_lfe2emp.tsv'").count(), "other files untouched");
    assertEquals(0, ctx.lake().read(Tables.Q_REGIONAL_INDICATOR).count(), "the old version's rejects are gone");
    assertEquals(silverV1 + 1, ctx.lake().version(Tables.REGIONAL_INDICATOR), "one commit for silver");
    assertEquals(quarantineV1 + 1, ctx.lake().version(Tables.Q_REGIONAL_INDICATOR), "one commit for quarantine");
    Row old = SparkTestSession.get().read().format("delta").option("versionAsOf", silverV1)
        .load(ctx.lake().path(Tables.REGIONAL_INDICATOR)).filter("region_code = 'AT11' and year = 2015").head();
    assertEquals(5.0, old.<Double>getAs("value"), 1e-12, "Delta history keeps the first version");
    assertEquals(1, ctx.lake().read(Tables.BRONZE_EUROSTAT).filter("source_file = 'estat_nama_10r_2gdp.tsv'")
        .select("source_sha256").distinct().count(), "bronze holds the current version's raw lines");
    assertEquals(2, ctx.lake().history(Tables.BRONZE_EUROSTAT).count(), "and history both");
    // Bronze is written alongside silver and quarantine; the file's record still names the versions each produced.
    IngestedFile recorded = new FileRegistry(ctx.lake()).load().get("estat_nama_10r_2gdp.tsv");
    assertEquals(List.of(ctx.lake().version(Tables.BRONZE_EUROSTAT), silverV1 + 1, quarantineV1 + 1),
        List.of(recorded.bronzeVersion(), recorded.silverVersion(), recorded.quarantineVersion()));
    // Ingesting version 2 again reads nothing and commits nothing.
    long silverV2 = ctx.lake().version(Tables.REGIONAL_INDICATOR);
    ctx.ingest(List.of(v2.toString()));
    assertEquals(silverV2, ctx.lake().version(Tables.REGIONAL_INDICATOR));
    assertEquals("unchanged", ctx.lastStage().status());
    assertEquals(0L, ctx.lastStage().counts().get("rows_parsed"));
  }

  @Test
  void brokenFilesStopWholeWithOneLineAndTheOthersGoIn() throws IOException {
    Path good = write("good/estat_nama_10r_2gdp.tsv", "unit,geo\\time\t2015 \nMIO_EUR,AT11\t5.0 \n");
    Path truncated = write("bad/estat_edat_lfse_04.tsv", "unit,sex,age,geo\\time\t2015 \t2014 \n"
        + "PC,T,Y25-64,AT11\t20.1 \t19.0 \nPC,T,Y25-64,AT12\t21");
    Path empty = write("bad/estat_demo_r_d2jan.tsv", "");
    byte[] gz = Files.readAllBytes(SparkTestSession.shared().resolve("data/real/eurostat_2017/gz/trng_lfse_04.tsv.gz"));
    Path cutGzip = tmp.resolve("bad/estat_trng_lfse_04.tsv.gz");
    Files.write(cutGzip, Arrays.copyOf(gz, gz.length / 2));
    Path latin1 = tmp.resolve("bad/estat_lfst_r_lfe2emp.tsv");
    Files.write(latin1,
        "unit,geo\\time\t2019 \nPC,AT\t1.0 \nPC,AT11\t2.0 \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Path unknown = write("bad/notes.csv", "a,b,c\n1,2,3\n");
    Path noTime = write("bad/oecd.csv", "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,OBS_VALUE,OBS_STATUS\n"
        + "DATAFLOW,OECD:X@DF_X(1.0),I,AT11,2.5,A\n");
    Map<Path, String> expected = Map.of(truncated, "truncated file", empty, "empty file",
        cutGzip, "truncated", latin1, "not valid UTF-8", unknown, "unknown header layout",
        noTime, "missing required column TIME_PERIOD");
    // One run with all of them: each broken file is named in its own one-line error, the good file goes in.
    TestContexts.TestRun ctx = TestContexts.context(tmp.resolve("lh-broken"), Map.of());
    List<String> inputs = new java.util.ArrayList<>(List.of(good.toString()));
    expected.keySet().forEach(p -> inputs.add(p.toString()));
    LearningRegionsException err = assertThrows(LearningRegionsException.class,
        () -> ctx.ingest(inputs));
    assertEquals(1, err.exitCode());
    assertTrue(err.getMessage().startsWith(expected.size() + " files failed; first: "), err.getMessage());
    @SuppressWarnings("unchecked")
    List<String> errors = (List<String>) ctx.lastStage().counts().get("file_errors");
    assertEquals(expected.size(), errors.size());
    for (Map.Entry<Path, String> e : expected.entrySet()) {
      String line = errors.stream().filter(m -> m.contains(e.getKey().toString())).findFirst().orElseThrow();
      assertTrue(line.contains(e.getValue()), line);
      assertFalse(line.contains("\n"), "one line");
    }
    // Nothing of the broken files is written; the good file is in.
    assertEquals(1, ctx.lake().read(Tables.REGIONAL_INDICATOR).count());
    assertEquals(List.of("estat_nama_10r_2gdp.tsv"), ctx.lake().read(Tables.BRONZE_EUROSTAT).select("source_file")
        .distinct().collectAsList().stream().map(r -> r.getString(0)).toList());
  }

  @Test
  void gzipBulkFileEqualsItsPlainCopy() {
    Path gz = SparkTestSession.shared().resolve("data/real/eurostat_2017/gz/trng_lfse_04.tsv.gz");
    TestContexts.TestRun ctx = ingest("lh", Map.of(), gz);
    Map<String, Object> rec = fileRecord(ctx, "trng_lfse_04.tsv.gz");
    assertEquals(1455L * 16, rec.get("rows_read"));
    assertEquals(Boolean.TRUE, rec.get("reconciled"));
    Row at = one(ctx.lake().read(Tables.REGIONAL_INDICATOR),
        "sex = 'T' and region_code = 'AT' and year = 2004");
    assertEquals(11.6, at.<Double>getAs("value"), 1e-12);
    assertEquals("trng_lfse_04", at.getAs("source_dataset"));
  }

  @Test
  void vintagesInFoldersAreKeptApartAndAGzipCopyIsReadOnce() throws IOException {
    String header = "unit,sex,age,geo\\time\t2015 \t2014 \n";
    write("in/v2017/trng_lfse_04.tsv", header + "PC,T,Y25-64,AT11\t6.1 \t5.9 b\n");
    write("in/v2024/trng_lfse_04.tsv", header + "PC,T,Y25-64,AT11\t6.4 \t5.9 b\n");
    Path plain = tmp.resolve("in/v2024/trng_lfse_04.tsv");
    Path gz = tmp.resolve("in/v2024/copy/trng_lfse_04.tsv.gz");
    Files.createDirectories(gz.getParent());
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(plain));
    }
    TestContexts.TestRun ctx = ingest("lh", Map.of(), tmp.resolve("in"));
    Dataset<Row> silver = ctx.lake().read(Tables.REGIONAL_INDICATOR).filter("region_code = 'AT11' and year = 2015");
    // Both vintages stay, keyed by their path below the input directory; neither is a duplicate of the other.
    assertEquals(6.1, one(silver, "source_vintage = 'v2017'").<Double>getAs("value"), 1e-12);
    Row newer = one(silver, "source_vintage = 'v2024'");
    assertEquals(6.4, newer.<Double>getAs("value"), 1e-12);
    assertEquals("v2024/trng_lfse_04.tsv", newer.getAs("source_file"));
    assertEquals(0L, ctx.lake().read(Tables.Q_REGIONAL_INDICATOR).count());
    // The .gz in a sub-folder holds the same bytes once decompressed: skipped, with the reason in the manifest.
    Map<String, Object> copy = fileRecord(ctx, "trng_lfse_04.tsv.gz");
    assertEquals("skipped", copy.get("status"));
    assertTrue(copy.get("why").toString().startsWith("same content as"), copy.toString());
  }
}
