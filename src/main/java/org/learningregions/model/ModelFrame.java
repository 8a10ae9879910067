package org.learningregions.model;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;

/**
 * A spec's estimation sample before any estimator sees it: the formula evaluated into {@code __y} and
 * {@code __x0..}, fixed effects {@code __fe0..}, cluster {@code __cl}, weight {@code __w}, after the sample filter,
 * with rows that have a missing, NaN or infinite value (or a weight not above 0) counted and left out. Unknown
 * columns and bad filters fail here with one line.
 *
 * @param formula the parsed formula
 * @param rows complete rows only
 * @param nInput rows after the sample filter
 * @param nComplete rows without missing values
 */
record ModelFrame(Formula formula, Dataset<Row> rows, long nInput, long nComplete) {

  /**
   * Where each part of a row sits in {@link #columns}: response, regressors, weight, then for each fixed effect and
   * the cluster a 64-bit key and its value as text (null for integer columns, whose key is the value), then the
   * completeness flag.
   *
   * @param integralFe per fixed effect, whether its key is the value itself
   * @param clusterFe the fixed effect the cluster is (its levels are the clusters), or -1
   * @param integralExtra per extra grouping (second cluster, Driscoll-Kraay time), whether its key is the value
   * @param cluster2 the extra grouping that is the second cluster, or -1
   * @param time the extra grouping that is the Driscoll-Kraay time, or -1
   */
  record Layout(int k, int nFe, boolean hasCluster, boolean[] integralFe, boolean integralCluster, int clusterFe,
      boolean[] integralExtra, int cluster2, int time) implements java.io.Serializable {
    int nExtra() {
      return integralExtra.length;
    }

    int extraKey(int e) {
      return 4 + k + 2 * nFe + 2 * e;
    }

    int extraValue(int e) {
      return integralExtra[e] ? -1 : 5 + k + 2 * nFe + 2 * e;
    }

    int y() {
      return 0;
    }

    int x(int j) {
      return 1 + j;
    }

    int w() {
      return 1 + k;
    }

    int feKey(int f) {
      return 2 + k + 2 * f;
    }

    int feValue(int f) {
      return integralFe[f] ? -1 : 3 + k + 2 * f;
    }

    int clusterKey() {
      return 2 + k + 2 * nFe;
    }

    int clusterValue() {
      return integralCluster ? -1 : 3 + k + 2 * nFe;
    }

    int ok() {
      return 4 + k + 2 * nFe + 2 * nExtra();
    }
  }

  /** The frame as {@link Layout} columns, lazily (no job runs), and its layout. */
  record Columns(Formula formula, Dataset<Row> data, Layout layout) {}

  /** The spec's weight column as {@code __w}, 1 without one. */
  private static Column weight(ModelSpec spec) {
    return spec.weight() == null ? lit(1.0).as("__w") : col(spec.weight()).cast("double").as("__w");
  }

  /**
   * What every estimator's frame requires of a row, in one place so that the OLS and MLlib frames cannot drift apart
   * again: a finite response, finite regressors {@code __x0..__x(k-1)} and a finite weight above 0.
   */
  private static Column usable(int k) {
    Column ok = finite(col("__y")).and(finite(col("__w"))).and(col("__w").gt(0));
    for (int j = 0; j < k; j++) {
      ok = ok.and(finite(col("__x" + j)));
    }
    return ok;
  }

  /**
   * Not null, not NaN and not infinite. Ingest quarantines non-finite values, but a refit on a file that was never
   * ingested or an overflowing product term ({@code a:b}) can still bring one, and one such row turns every estimate
   * into NaN: its row is dropped and counted with the missing ones. Cast first: abs of an integer's minimum overflows.
   */
  private static Column finite(Column c) {
    Column d = c.cast("double");
    return d.isNotNull().and(not(isnan(d))).and(abs(d).notEqual(lit(Double.POSITIVE_INFINITY)));
  }

  /** The spec's columns in the {@link Layout} the fitter reads, with the sample filter applied. */
  static Columns columns(Dataset<Row> input, ModelSpec spec) {
    Formula formula = Formula.parse(spec.formula());
    Dataset<Row> data = filtered(input, spec, formula);
    int k = formula.terms().size();
    int nFe = spec.fixedEffects().size();
    List<Column> sel = responseAndTerms(formula);
    sel.add(weight(spec));
    boolean[] integral = new boolean[nFe];
    Column complete = usable(k);
    for (int f = 0; f < nFe; f++) {
      String name = spec.fixedEffects().get(f);
      integral[f] = isIntegral(data, name);
      sel.add(key(name, integral[f]).as("__fe" + f));
      sel.add(integral[f] ? lit(null).cast("string").as("__fev" + f) : col(name).cast("string").as("__fev" + f));
      complete = complete.and(col(name).isNotNull());
    }
    boolean clusterIntegral = spec.cluster() == null || isIntegral(data, spec.cluster());
    if (spec.cluster() == null) {
      sel.add(lit(0L).as("__cl"));
      sel.add(lit(null).cast("string").as("__clv"));
    } else {
      sel.add(key(spec.cluster(), clusterIntegral).as("__cl"));
      sel.add(clusterIntegral ? lit(null).cast("string").as("__clv") : col(spec.cluster()).cast("string").as("__clv"));
      complete = complete.and(col(spec.cluster()).isNotNull());
    }
    // Extra groupings the scores are summed over: the second cluster and the Driscoll-Kraay time.
    List<String> extras = new ArrayList<>();
    if (spec.inference().cluster2() != null) {
      extras.add(spec.inference().cluster2());
    }
    if (spec.se() == SeType.DRISCOLL_KRAAY) {
      String time = spec.inference().timeColumn();
      if (!isIntegral(data, time)) {
        throw LearningRegionsException.usage("model " + spec.name() + ": the Driscoll-Kraay time column '" + time
            + "' must be an integer column (periods are ordered by its value)");
      }
      extras.add(time);
    }
    boolean[] integralExtra = new boolean[extras.size()];
    for (int e = 0; e < extras.size(); e++) {
      String name = extras.get(e);
      integralExtra[e] = isIntegral(data, name);
      sel.add(key(name, integralExtra[e]).as("__ex" + e));
      sel.add(integralExtra[e] ? lit(null).cast("string").as("__exv" + e)
          : col(name).cast("string").as("__exv" + e));
      complete = complete.and(col(name).isNotNull());
    }
    sel.add(complete.as("__ok"));
    int cluster2 = spec.inference().cluster2() != null ? 0 : -1;
    int time = spec.se() == SeType.DRISCOLL_KRAAY ? extras.size() - 1 : -1;
    return new Columns(formula, data.select(sel.toArray(new Column[0])),
        new Layout(k, nFe, spec.cluster() != null, integral, clusterIntegral,
            spec.cluster() == null ? -1 : spec.fixedEffects().indexOf(spec.cluster()), integralExtra, cluster2, time));
  }

  /** {@code __y} and {@code __x0..}: the formula's response and terms as columns. */
  private static List<Column> responseAndTerms(Formula formula) {
    List<Column> sel = new ArrayList<>();
    sel.add(formula.response().expression().as("__y"));
    for (int j = 0; j < formula.terms().size(); j++) {
      sel.add(formula.terms().get(j).expression().as("__x" + j));
    }
    return sel;
  }

  private static boolean isIntegral(Dataset<Row> data, String column) {
    org.apache.spark.sql.types.DataType t = data.schema().apply(column).dataType();
    return t instanceof org.apache.spark.sql.types.IntegralType || t instanceof org.apache.spark.sql.types.BooleanType;
  }

  /** A level key: the value for integer columns, else a 64-bit hash checked against the values when merged. */
  private static Column key(String column, boolean integral) {
    return integral ? col(column).cast("long") : org.apache.spark.sql.functions.xxhash64(col(column));
  }

  /** Checks the spec against the input's columns and applies its sample filter. */
  private static Dataset<Row> filtered(Dataset<Row> input, ModelSpec spec, Formula formula) {
    Set<String> available = new java.util.HashSet<>(Arrays.asList(input.columns()));
    List<String> needed = new ArrayList<>(formula.columns());
    needed.addAll(spec.fixedEffects());
    needed.addAll(spec.clusters());
    if (spec.se() == SeType.DRISCOLL_KRAAY) {
      needed.add(spec.inference().timeColumn());
    }
    if (spec.weight() != null) {
      needed.add(spec.weight());
    }
    for (String c : needed) {
      if (!available.contains(c)) {
        throw LearningRegionsException.failure("model " + spec.name() + ": unknown column '" + c + "' in "
            + spec.input() + " (columns: " + String.join(", ", input.columns()) + ")");
      }
    }
    if (spec.se() == SeType.CLUSTER && spec.cluster() == null) {
      throw LearningRegionsException.usage("model " + spec.name() + ": se = cluster needs a cluster column");
    }
    if (spec.inference().cluster2() != null && spec.se() != SeType.CLUSTER) {
      throw LearningRegionsException.usage("model " + spec.name() + ": two cluster columns need se = cluster");
    }
    if (spec.inference().bootstrap() != null && (spec.cluster() == null || spec.inference().cluster2() != null)) {
      throw LearningRegionsException.usage("model " + spec.name() + ": the wild cluster bootstrap needs exactly one "
          + "cluster column");
    }
    if (spec.filter() == null) {
      return input;
    }
    try {
      return input.filter(expr(spec.filter()));
    } catch (Exception e) {
      throw LearningRegionsException.failure("model " + spec.name() + ": invalid filter '" + spec.filter() + "': "
          + firstLine(e.getMessage()));
    }
  }

  /** The MLlib estimators' frame: {@code __y}, {@code __x0..}, {@code __w} of complete rows, counted. */
  static ModelFrame of(Dataset<Row> input, ModelSpec spec) {
    Formula formula = Formula.parse(spec.formula());
    Dataset<Row> data = filtered(input, spec, formula);
    int k = formula.terms().size();
    int nFe = spec.fixedEffects().size();
    List<Column> sel = responseAndTerms(formula);
    for (int f = 0; f < nFe; f++) {
      sel.add(col(spec.fixedEffects().get(f)).as("__fe" + f));
    }
    sel.add(spec.cluster() == null ? lit("").as("__cl") : col(spec.cluster()).as("__cl"));
    sel.add(weight(spec));
    Dataset<Row> prepared = data.select(sel.toArray(new Column[0]));
    Column complete = usable(k).and(col("__cl").isNotNull());
    for (int f = 0; f < nFe; f++) {
      complete = complete.and(col("__fe" + f).isNotNull());
    }
    // Checkpointed once: the counts and the estimator's passes read it.
    prepared = prepared.withColumn("__ok", complete).localCheckpoint();
    Row counts = prepared.agg(count(lit(1)), sum(col("__ok").cast("long"))).head();
    long nInput = counts.getLong(0);
    long nComplete = counts.isNullAt(1) ? 0 : counts.getLong(1);
    return new ModelFrame(formula, prepared.filter(col("__ok")).drop("__ok"), nInput, nComplete);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
