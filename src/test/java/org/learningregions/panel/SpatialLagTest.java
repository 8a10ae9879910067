package org.learningregions.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.learningregions.LearningRegionsException;
import org.learningregions.SparkTestSession;
import org.learningregions.validate.NutsBoundaries;

/**
 * The W_ columns by hand: three regions that all touch (weights 1/2), two years, one missing value, and a fourth
 * panel region without boundaries. Hand-computed numbers, checking the renormalisation over neighbours that have a
 * value, the coverage, values taken from region-years outside the panel, and the appended column order.
 */
class SpatialLagTest {
  static final StructType PANEL = new StructType().add("region_code", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("label", DataTypes.StringType).add("x", DataTypes.DoubleType);

  @Test
  void neighboursAverageIsRenormalisedOverThoseWithAValue() {
    SparkSession spark = SparkTestSession.get();
    // x in 2019: A 1, B 2, C 4; in 2020: A 3, B missing, C 5 (C's 2020 row is not in the panel, e.g. no GDP, but its
    // value is known). D is in the panel but not in the boundaries file.
    List<Row> all = List.of(row("A", 2019, 1.0), row("B", 2019, 2.0), row("C", 2019, 4.0), row("D", 2019, 9.0),
        row("A", 2020, 3.0), row("B", 2020, null), row("C", 2020, 5.0), row("D", 2020, 9.0));
    Dataset<Row> values = spark.createDataFrame(all, PANEL);
    Dataset<Row> panel = values.filter("not (region_code = 'C' and year = 2020)");
    List<NutsBoundaries.Region> triangle = List.of(square("A", 0, 0), square("B", 10, 0), square("C", 0, 10));
    Contiguity c = Contiguity.of(triangle);
    assertEquals(List.of(), c.islands());
    assertEquals(6, c.linkCount());

    SpatialLag.Result r = SpatialLag.append(panel, values, c.toDataFrame(spark), List.of("x"));
    assertEquals(List.of("region_code", "year", "label", "x", "W_x", "W_x_coverage"),
        Arrays.asList(r.panel().columns()));
    assertEquals(List.of("D"), r.regionsWithoutBoundaries());
    Map<String, Row> byKey = new HashMap<>();
    for (Row row : r.panel().collectAsList()) {
      byKey.put(row.getString(0) + row.getInt(1), row);
    }
    assertEquals(7, byKey.size());
    // 2019, all present: A = (2 + 4) / 2, B = (1 + 4) / 2, C = (1 + 2) / 2, coverage 1.
    assertLag(byKey.get("A2019"), 3.0, 1.0);
    assertLag(byKey.get("B2019"), 2.5, 1.0);
    assertLag(byKey.get("C2019"), 1.5, 1.0);
    // 2020, B missing: A's weights renormalised to C alone (0.5 * 5 / 0.5 = 5, not 2.5), coverage 0.5; B has both
    // neighbours (A 3 and C 5 from outside the panel).
    assertLag(byKey.get("A2020"), 5.0, 0.5);
    assertLag(byKey.get("B2020"), 4.0, 1.0);
    // D: no boundaries, so no neighbours.
    assertLag(byKey.get("D2019"), null, 0.0);
    assertLag(byKey.get("D2020"), null, 0.0);
  }

  @Test
  void noNeighbourWithAValueGivesNullAndCoverageZero() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> panel = spark.createDataFrame(List.of(row("A", 2020, 1.0), row("B", 2020, null)), PANEL);
    Contiguity c = Contiguity.of(List.of(square("A", 0, 0), square("B", 10, 0)));
    List<Row> rows = SpatialLag.append(panel, panel, c.toDataFrame(spark), List.of("x")).panel()
        .orderBy("region_code").collectAsList();
    assertLag(rows.get(0), null, 0.0);
    assertLag(rows.get(1), 1.0, 1.0);
  }

  @Test
  void anUnknownOrNonNumericColumnIsAOneLineUsageError() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> panel = spark.createDataFrame(List.of(row("A", 2020, 1.0)), PANEL);
    Dataset<Row> weights = Contiguity.of(List.of(square("A", 0, 0), square("B", 10, 0))).toDataFrame(spark);
    LearningRegionsException unknown = assertThrows(LearningRegionsException.class,
        () -> SpatialLag.append(panel, panel, weights, List.of("learning_rate_lag9")));
    assertEquals(LearningRegionsException.USAGE, unknown.exitCode());
    assertTrue(unknown.getMessage().contains("learning_rate_lag9 is not a panel column; known columns: region_code, "
        + "year, label, x"), unknown.getMessage());
    assertFalse(unknown.getMessage().contains("\n"));
    LearningRegionsException text = assertThrows(LearningRegionsException.class,
        () -> SpatialLag.append(panel, panel, weights, List.of("label")));
    assertTrue(text.getMessage().contains("label is not numeric"), text.getMessage());
  }

  static void assertLag(Row row, Double lag, double coverage) {
    if (lag == null) {
      assertNull(row.getAs("W_x"), row.toString());
    } else {
      assertEquals(lag, row.<Double>getAs("W_x"), 1e-12, row.toString());
    }
    assertEquals(coverage, row.<Double>getAs("W_x_coverage"), 0.0, row.toString());
  }

  static Row row(String region, int year, Double x) {
    return RowFactory.create(region, year, region + year, x);
  }

  /** A 10 x 10 square with its lower left corner at (x, y): squares at (0,0), (10,0), (0,10) all touch. */
  static NutsBoundaries.Region square(String code, long x, long y) {
    long[] ring = {x, y, x, y + 10, x + 10, y + 10, x + 10, y, x, y};
    List<List<long[]>> polygons = new ArrayList<>();
    polygons.add(List.of(ring));
    return new NutsBoundaries.Region(code, null, polygons);
  }
}
