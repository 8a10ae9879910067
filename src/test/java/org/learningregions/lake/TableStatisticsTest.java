package org.learningregions.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.SparkTestSession;

/** Tables that grow with the input are created with Delta statistics on the columns reads filter on, no others. */
class TableStatisticsTest {
  @TempDir
  Path tmp;

  private static Map<String, String> properties(SparkSession spark, Lakehouse lake, TableId table) {
    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + lake.path(table) + "`").head();
    return detail.getJavaMap(detail.fieldIndex("properties"));
  }

  @Test
  void silverAndBronzeKeepStatisticsOnlyOnTheirFilterColumnsAndGoldKeepsDeltasDefault() {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lake = new Lakehouse(spark, tmp.resolve("lh").toString());
    Dataset<Row> rows = spark.sql("SELECT 'trng' AS indicator, 'AT13' AS region_code, 2020 AS year, "
        + "'a long raw line' AS raw, 7 AS line_no, 'f.tsv' AS source_file");
    lake.writer("stats-test").replacePartitions(Tables.REGIONAL_INDICATOR, rows, "source_file", List.of("f.tsv"));
    lake.writer("stats-test").replacePartitions(Tables.BRONZE_EUROSTAT, rows, "source_file", List.of("f.tsv"));
    lake.writer("stats-test").overwrite(Tables.ANALYSIS_PANEL, rows);

    assertEquals("indicator,region_code,year",
        properties(spark, lake, Tables.REGIONAL_INDICATOR).get("delta.dataSkippingStatsColumns"));
    assertEquals("line_no", properties(spark, lake, Tables.BRONZE_EUROSTAT).get("delta.dataSkippingStatsColumns"));
    assertNull(properties(spark, lake, Tables.ANALYSIS_PANEL).get("delta.dataSkippingStatsColumns"));
    // The statistics written with the file: minimum values of the filter columns only, not of the raw line.
    String stats = spark.read().json(lake.path(Tables.REGIONAL_INDICATOR) + "/_delta_log/00000000000000000000.json")
        .filter("add IS NOT NULL").select("add.stats").head().getString(0);
    assertEquals("{\"numRecords\":1,\"minValues\":{\"indicator\":\"trng\",\"region_code\":\"AT13\",\"year\":2020},",
        stats.substring(0, stats.indexOf("\"maxValues\"")));
  }
}
