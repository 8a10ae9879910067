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
    // The index reads every region-year with an indicator, in the models' panel or not; the columns of
    // conf/index/sample.conf with their direction (the gap enters as its absolute value, lower is better) and pillar.
    String[] columns = {"learning_rate_microdata", "learning_rate_official", "tertiary_attainment_rate",
        "tertiary_share_employed", "learning_gap_women_men", "knowledge_share_employed"};
    double[] direction = {1, 1, 1, 1, -1, 1};
    int[] pillarOf = {0, 0, 1, 1, 2, 3};
    var withIndicator = spark.read().format("delta").load(gold.resolve("region_years").toString())
        .filter(org.apache.spark.sql.functions.coalesce(java.util.Arrays.stream(columns)
            .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new)).isNotNull());
    java.util.Set<String> ranked = new java.util.HashSet<>();
    index.forEach(r -> ranked.add(r.getAs("region_code")));
    List<Row> panel = withIndicator.filter(col("year").equalTo(year)).collectAsList().stream()
        .filter(r -> ranked.contains(r.<String>getAs("region_code"))).toList();
    int latest = withIndicator.agg(org.apache.spark.sql.functions.max("year")).head().getInt(0);
    assertEquals(latest, year, "the latest year (every indicator covers the sample's regions in every year)");
    // The sample's indicators are not heavy-tailed: no outlier treatment, so the raw values are what is normalised.
    assertEquals(0L, spark.read().format("delta").load(gold.resolve("learning_index_audit").toString())
        .filter(col("check").equalTo("outliers")).count());
    // Min-max over the ranked regions, the mean within each pillar of what a region has, the mean of the pillars.
    int k = columns.length;
    double[][] oriented = new double[panel.size()][k];
    double[] min = new double[k];
    double[] max = new double[k];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < panel.size(); i++) {
      Row r = panel.get(i);
      for (int j = 0; j < k; j++) {
        int f = r.fieldIndex(columns[j]);
        double v = r.isNullAt(f) ? Double.NaN : ((Number) r.get(f)).doubleValue();
        oriented[i][j] = direction[j] * (j == 4 ? Math.abs(v) : v);
        if (!Double.isNaN(oriented[i][j])) {
          min[j] = Math.min(min[j], oriented[i][j]);
          max[j] = Math.max(max[j], oriented[i][j]);
        }
      }
    }
    Map<String, Double> expected = new HashMap<>();
    for (int i = 0; i < panel.size(); i++) {
      double[] sum = new double[4];
      int[] count = new int[4];
      for (int j = 0; j < k; j++) {
        if (!Double.isNaN(oriented[i][j])) {
          sum[pillarOf[j]] += (oriented[i][j] - min[j]) / (max[j] - min[j]) * 100;
          count[pillarOf[j]]++;
        }
      }
      double total = 0;
      int pillarsPresent = 0;
      for (int p = 0; p < 4; p++) {
        if (count[p] > 0) {
          total += sum[p] / count[p];
          pillarsPresent++;
        }
      }
      expected.put(panel.get(i).getAs("region_code"), total / pillarsPresent);
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
      assertEquals(List.of("inclusion", "knowledge economy", "learning to do", "learning to know"),
          List.copyOf(new java.util.TreeSet<>(pillars.keySet())));
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
