package org.learningregions.panel;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.Seqs;

/**
 * The spatial lags of panel variables: for each configured column v, {@code W_<v>} = Σ_j w_ij v_jt over region i's
 * neighbours j (gold.region_neighbours, row-standardised) in the same year t, and {@code W_<v>_coverage}, the share of
 * region i's weight whose neighbours had a value.
 *
 * <p>Missing values: the weights are renormalised over the neighbours that have a value in that year, so
 * {@code W_<v> = Σ_{j with v_jt} w_ij v_jt / Σ_{j with v_jt} w_ij} (the average of the neighbours that have one),
 * null when none has. With row-standardised weights (all of a region's weights equal, 1/n_i) the coverage is k/n_i,
 * k the number of neighbours with a value: 1.0 exactly when all have one. A neighbour's value is taken from every
 * region-year the pipeline has (the {@code values} table), also from those not in the panel (e.g. a neighbour whose
 * GDP is missing that year still has a learning rate). Regions of the panel absent from the weights (outermost
 * regions FRY*, PT20, PT30 are not in GISCO's file; codes of another NUTS version) get a null lag and coverage 0.
 *
 * <p>Everything is DataFrame joins: the weights (a few thousand rows) are broadcast to the panel's region-years, the
 * neighbours' values joined by (neighbour, year), and the sums taken per region-year, for all variables in one pass.
 */
public final class SpatialLag {
  private SpatialLag() {}

  /**
   * The panel with the lag columns appended, and the panel's regions without weights.
   *
   * @param panel the panel, its columns unchanged and first
   * @param regionsWithoutBoundaries panel regions that have no row in the weights (sorted): null lags, coverage 0
   */
  public record Result(Dataset<Row> panel, List<String> regionsWithoutBoundaries) {}

  /** The name of the spatial lag column of {@code variable}. */
  public static String lagColumn(String variable) {
    return "W_" + variable;
  }

  /** The name of the coverage column of {@code variable}'s spatial lag. */
  public static String coverageColumn(String variable) {
    return "W_" + variable + "_coverage";
  }

  /**
   * Appends {@code W_<v>} and {@code W_<v>_coverage} for every {@code variables} v to {@code panel}.
   *
   * @param panel one row per (region_code, year)
   * @param values where the neighbours' values are read: one row per (region_code, year) with the same columns, a
   *     superset of the panel's rows (or the panel itself)
   * @param weights region_code, neighbour_code, weight, n_neighbours (gold.region_neighbours)
   * @param variables numeric columns of the panel
   */
  public static Result append(Dataset<Row> panel, Dataset<Row> values, Dataset<Row> weights, List<String> variables) {
    List<String> vars = List.copyOf(new LinkedHashSet<>(variables));
    for (String v : vars) {
      StructField field = Arrays.stream(panel.schema().fields()).filter(f -> f.name().equals(v)).findFirst()
          .orElseThrow(() -> LearningRegionsException.usage("panel.spatial.lag-variables: " + v
              + " is not a panel column; known columns: " + String.join(", ", panel.columns())));
      if (!(field.dataType() instanceof NumericType)) {
        throw LearningRegionsException.usage("panel.spatial.lag-variables: " + v + " is not numeric ("
            + field.dataType().simpleString() + ")");
      }
    }
    Dataset<Row> w = broadcast(weights.select("region_code", "neighbour_code", "weight", "n_neighbours"));
    List<String> missing = panel.select("region_code").distinct()
        .join(broadcast(weights.select("region_code").distinct()), Seqs.of("region_code"), "left_anti")
        .orderBy("region_code").as(Encoders.STRING()).collectAsList();

    List<Column> neighbourValues = new ArrayList<>(List.of(col("region_code").as("neighbour_code"), col("year")));
    List<Column> sums = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Column v = col("_v" + i);
      neighbourValues.add(col(vars.get(i)).cast("double").as("_v" + i));
      sums.add(sum(when(v.isNotNull(), col("weight").multiply(v))).as("_s" + i));
      sums.add(sum(when(v.isNotNull(), col("weight"))).as("_w" + i));
      sums.add(count(when(v.isNotNull(), lit(1))).as("_k" + i));
    }
    Dataset<Row> perRegionYear = panel.select("region_code", "year")
        .join(w, Seqs.of("region_code"))
        .join(values.select(neighbourValues.toArray(new Column[0])), Seqs.of("neighbour_code", "year"), "left")
        .groupBy("region_code", "year")
        .agg(max("n_neighbours").as("_n"), sums.toArray(new Column[0]));

    List<Column> out = new ArrayList<>();
    for (String c : panel.columns()) {
      out.add(col(c));
    }
    for (int i = 0; i < vars.size(); i++) {
      out.add(col("_s" + i).divide(col("_w" + i)).as(lagColumn(vars.get(i))));
      out.add(coalesce(col("_k" + i).divide(col("_n")), lit(0.0)).as(coverageColumn(vars.get(i))));
    }
    Dataset<Row> lagged = panel.join(perRegionYear, Seqs.of("region_code", "year"), "left")
        .select(out.toArray(new Column[0]));
    return new Result(lagged, missing);
  }
}
