package org.learningregions.model;

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
import org.learningregions.config.ModelSpecConfig;

/**
 * A spec's estimation sample before any estimator sees it: the formula evaluated into {@code __y} and
 * {@code __x0..}, fixed effects {@code __fe0..}, cluster {@code __cl}, weight {@code __w}, after the sample filter,
 * with rows that have a missing or non-positive value counted and left out. Unknown columns and bad filters fail
 * here with one line.
 *
 * @param formula the parsed formula
 * @param rows complete rows only
 * @param nInput rows after the sample filter
 * @param nComplete rows without missing values
 */
record ModelFrame(Formula formula, Dataset<Row> rows, long nInput, long nComplete) {

  static ModelFrame of(Dataset<Row> input, ModelSpecConfig spec) {
    Formula formula = Formula.parse(spec.formula());
    Set<String> available = new java.util.HashSet<>(Arrays.asList(input.columns()));
    List<String> needed = new ArrayList<>(formula.columns());
    needed.addAll(spec.fixedEffects());
    if (spec.cluster() != null) {
      needed.add(spec.cluster());
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
    Dataset<Row> data = input;
    if (spec.filter() != null) {
      try {
        data = data.filter(expr(spec.filter()));
      } catch (Exception e) {
        throw LearningRegionsException.failure("model " + spec.name() + ": invalid filter '" + spec.filter() + "': "
            + firstLine(e.getMessage()));
      }
    }
    int k = formula.terms().size();
    int nFe = spec.fixedEffects().size();
    List<Column> sel = new ArrayList<>();
    sel.add(formula.response().expression().as("__y"));
    for (int j = 0; j < k; j++) {
      sel.add(formula.terms().get(j).expression().as("__x" + j));
    }
    for (int f = 0; f < nFe; f++) {
      sel.add(col(spec.fixedEffects().get(f)).as("__fe" + f));
    }
    sel.add(spec.cluster() == null ? lit("").as("__cl") : col(spec.cluster()).as("__cl"));
    sel.add(spec.weight() == null ? lit(1.0).as("__w") : col(spec.weight()).cast("double").as("__w"));
    Dataset<Row> prepared = data.select(sel.toArray(new Column[0]));
    Column complete = col("__y").isNotNull().and(not(isnan(col("__y")))).and(col("__cl").isNotNull())
        .and(col("__w").isNotNull()).and(col("__w").gt(0));
    for (int j = 0; j < k; j++) {
      complete = complete.and(col("__x" + j).isNotNull()).and(not(isnan(col("__x" + j))));
    }
    for (int f = 0; f < nFe; f++) {
      complete = complete.and(col("__fe" + f).isNotNull());
    }
    // Checkpointed once: every later pass (counts, levels, moments, means, decomposition, sandwich) reads it.
    // (A columnar cache() took 15 s instead of 4.5 s to build for 10 million rows.)
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
