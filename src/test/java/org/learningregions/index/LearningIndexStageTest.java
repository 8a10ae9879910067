package org.learningregions.index;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.learningregions.CliRunner;
import org.learningregions.SamplePipeline;
import org.learningregions.SparkTestSession;

/**
 * The index stage on the shared sample pipeline (conf/index/sample.conf): the nominal scores equal min-max and equal
 * weights recomputed here from the panel by the formula; every region passing the coverage rule is ranked 1..n with
 * a rank interval around its median; the sensitivity table names every factor; a rerun is a no-op.
 */
@Tag("slow")
class LearningIndexStageTest {
  @Test
  void nominalScoresRanksAndIntervalsFromThePanel() {
    SamplePipeline sample = SamplePipeline.get();
    var spark = SparkTestSession.get();
    var gold = sample.lakehouse.resolve("gold");
    List<Row> index = spark.read().format("delta").load(gold.resolve("learning_index").toString())
        .orderBy("rank").collectAsList();
    assertTrue(index.size() >= 40, "regions ranked: " + index.size());
    int year = index.get(0).getAs("year");
    // The index reads every region-year with an indicator, in the models' panel or not.
    var withIndicator = spark.read().format("delta").load(gold.resolve("region_years").toString())
        .filter(org.apache.spark.sql.functions.coalesce(col("learning_rate_microdata"), col("learning_rate_official"),
            col("tertiary_attainment_rate")).isNotNull());
    List<Row> panel = withIndicator.filter(col("year").equalTo(year)).select("region_code",
        "learning_rate_microdata", "learning_rate_official", "tertiary_attainment_rate").collectAsList();
    int latest = withIndicator.agg(org.apache.spark.sql.functions.max("year")).head().getInt(0);
    assertEquals(latest, year, "the latest year (every indicator covers the sample's regions in every year)");
    // The sample's indicators are not heavy-tailed: no outlier treatment, so the raw values are what is normalised.
    assertEquals(0L, spark.read().format("delta").load(gold.resolve("learning_index_audit").toString())
        .filter(col("check").equalTo("outliers")).count());
    // Min-max over the regions, mean within "learning to do" (survey, official), then the mean of the two pillars.
    double[][] minMax = new double[3][2];
    for (int j = 0; j < 3; j++) {
      minMax[j][0] = Double.POSITIVE_INFINITY;
      minMax[j][1] = Double.NEGATIVE_INFINITY;
      for (Row r : panel) {
        if (!r.isNullAt(j + 1)) {
          minMax[j][0] = Math.min(minMax[j][0], r.getDouble(j + 1));
          minMax[j][1] = Math.max(minMax[j][1], r.getDouble(j + 1));
        }
      }
    }
    Map<String, Double> expected = new HashMap<>();
    for (Row r : panel) {
      double[] z = new double[3];
      for (int j = 0; j < 3; j++) {
        z[j] = r.isNullAt(j + 1) ? Double.NaN : (r.getDouble(j + 1) - minMax[j][0]) / (minMax[j][1] - minMax[j][0])
            * 100;
      }
      double doPillar = Double.isNaN(z[0]) ? z[1] : Double.isNaN(z[1]) ? z[0] : (z[0] + z[1]) / 2;
      expected.put(r.getString(0), (doPillar + z[2]) / 2);
    }
    for (int i = 0; i < index.size(); i++) {
      Row r = index.get(i);
      String region = r.getAs("region_code");
      assertEquals(expected.get(region), r.<Double>getAs("score"), 1e-9, region);
      assertEquals(index.size(), r.<Integer>getAs("regions_ranked"));
      double p05 = r.getAs("rank_p05");
      double p95 = r.getAs("rank_p95");
      double median = r.getAs("rank_median");
      assertTrue(1 <= p05 && p05 <= median && median <= p95 && p95 <= index.size(), region + " interval");
      if (i > 0) {
        assertTrue(r.<Double>getAs("score") <= index.get(i - 1).<Double>getAs("score"), "ranked by score");
      }
      Map<String, Double> pillars = r.getJavaMap(r.fieldIndex("pillar_scores"));
      assertEquals(List.of("learning to do", "learning to know"), List.copyOf(new java.util.TreeSet<>(pillars
          .keySet())));
    }
    assertEquals(1, index.get(0).<Integer>getAs("rank"));
    List<String> factors = spark.read().format("delta").load(gold.resolve("learning_index_sensitivity").toString())
        .select("factor").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(5, factors.size(), factors.toString());
    assertTrue(spark.read().format("delta").load(gold.resolve("learning_index_audit").toString())
        .filter("check = 'cronbach_alpha' and subject = 'learning to do' and value > 0.5").count() == 1,
        "the two participation measures agree (alpha > 0.5)");

    String path = gold.resolve("learning_index").toString();
    long version = io.delta.tables.DeltaTable.forPath(spark, path).history(1).head().getLong(0);
    CliRunner.Result again = CliRunner.run(sample.args("index"));
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(version, io.delta.tables.DeltaTable.forPath(spark, path).history(1).head().getLong(0),
        "a rerun on an unchanged panel writes nothing");
  }
}
