package org.learningregions.panel;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.learningregions.SamplePipeline;
import org.learningregions.SparkTestSession;

/**
 * The spatial lags on the shared sample pipeline (conf/local.conf sets panel.spatial.boundaries; the sample's regions
 * are real NUTS 2021 codes): gold.region_neighbours written, the W_ columns appended last, Wien's lag equal to
 * Niederösterreich's value (its only neighbour), and the Azores and Madeira, absent from GISCO's file, null. Slow
 * tier, with the other readers of the shared sample pipeline.
 */
@Tag("slow")
class SampleSpatialLagTest {
  static Dataset<Row> table(String name) {
    return SparkTestSession.get().read().format("delta")
        .load(SamplePipeline.get().lakehouse.resolve("gold/" + name).toString());
  }

  @Test
  void samplePanelCarriesTheSpatialLagOfTheLaggedLearningRate() {
    Dataset<Row> neighbours = table("region_neighbours");
    assertEquals(List.of("region_code", "neighbour_code", "weight", "how", "n_neighbours"),
        Arrays.asList(neighbours.columns()));
    assertEquals(327, neighbours.select("region_code").distinct().count());
    assertEquals(List.of("AT12"), neighbours.filter("region_code = 'AT13'").select("neighbour_code")
        .as(Encoders.STRING()).collectAsList());

    Dataset<Row> panel = table("analysis_panel");
    List<String> columns = Arrays.asList(panel.columns());
    assertEquals(List.of("W_learning_rate_lag1", "W_learning_rate_lag1_coverage"),
        columns.subList(columns.size() - 2, columns.size()));
    List<Row> wien = panel.alias("w").join(panel.alias("n"), expr("w.region_code = 'AT13' and n.region_code = 'AT12' "
            + "and w.year = n.year and n.learning_rate_lag1 is not null"))
        .selectExpr("w.W_learning_rate_lag1", "n.learning_rate_lag1", "w.W_learning_rate_lag1_coverage")
        .collectAsList();
    assertFalse(wien.isEmpty());
    for (Row r : wien) {
      assertEquals(r.getDouble(1), r.getDouble(0), 1e-12);
      assertEquals(1.0, r.getDouble(2), 0.0);
    }
    List<Row> outermost = panel.filter("region_code in ('PT20', 'PT30')")
        .select("W_learning_rate_lag1", "W_learning_rate_lag1_coverage").collectAsList();
    assertFalse(outermost.isEmpty(), "the sample has the Azores and Madeira");
    for (Row r : outermost) {
      assertNull(r.get(0));
      assertEquals(0.0, r.getDouble(1), 0.0);
    }
    assertTrue(panel.filter("W_learning_rate_lag1_coverage > 0").count() > 0);
  }
}
