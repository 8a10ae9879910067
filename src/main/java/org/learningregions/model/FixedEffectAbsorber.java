package org.learningregions.model;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;

/**
 * Fixed-effect bookkeeping and the within transformation, all as grouped aggregations joined back to the rows
 * (hash aggregation and, for tables of up to {@link #BROADCAST_LEVELS} levels, a broadcast join), never a sort
 * of the data.
 *
 * <p>Columns of the working data: {@code __fe0..} (fixed effects), {@code __cl} (cluster), {@code __w} (weight),
 * and the variables to transform.
 */
final class FixedEffectAbsorber {
  /** Level tables smaller than this are broadcast to the rows; larger ones are joined by shuffle. */
  static final long BROADCAST_LEVELS = 2_000_000;

  private FixedEffectAbsorber() {}

  /**
   * One fixed effect's levels on the final sample: per level the row count {@code __n}, the weight sum
   * {@code __sw} and, when nesting in the cluster must be checked, the smallest and largest hash of the cluster id
   * (equal for every level when the effect is nested in the cluster).
   */
  record Levels(Dataset<Row> table, long count, boolean nestedInCluster) {}

  /** The sample after dropping singletons (or not), with each fixed effect's levels on that sample. */
  record Sample(Dataset<Row> data, long rows, long singletons, List<Levels> levels) {}

  /**
   * Drops observations alone in a fixed-effect group until none is left (as reghdfe; one pass of grouped counts
   * per effect and round), unless {@code keepSingletons}; the last round's level tables describe the result.
   */
  static Sample prepare(Dataset<Row> data, long rows, int nFe, boolean keepSingletons, boolean hasCluster,
      int clusterFe) {
    Dataset<Row> d = data;
    long n = rows;
    long dropped = 0;
    while (true) {
      List<Levels> levels = new ArrayList<>();
      Dataset<Row> next = d;
      boolean changed = false;
      for (int f = 0; f < nFe; f++) {
        Levels l = levels(next, f, hasCluster, f == clusterFe);
        levels.add(l);
        if (!keepSingletons) {
          // The key is renamed: a checkpoint keeps its parent's column identities, which would make the join
          // condition ambiguous.
          Dataset<Row> singles = l.table().filter(col("__n").equalTo(1)).select(col("__fe" + f).as("__key"));
          if (!singles.isEmpty()) {
            next = next.join(broadcastIfSmall(singles, l.count()), next.col("__fe" + f).equalTo(singles.col("__key")),
                "left_anti");
            changed = true;
          }
        }
      }
      if (!changed) {
        return new Sample(d, n, dropped, levels);
      }
      d = next.localCheckpoint();
      long after = d.count();
      dropped += n - after;
      n = after;
      if (n == 0) {
        return new Sample(d, 0, dropped, List.of());
      }
    }
  }

  private static Levels levels(Dataset<Row> d, int f, boolean hasCluster, boolean isCluster) {
    String fe = "__fe" + f;
    // Nesting in the cluster needs checking only when there is a cluster and it is not this effect itself. It is
    // checked on hashes, not the cluster ids: min/max of strings would turn the hash aggregation into a sort.
    boolean check = hasCluster && !isCluster;
    List<Column> aggs = new ArrayList<>(List.of(sum("__w").as("__sw")));
    if (check) {
      aggs.add(min(xxhash64(col("__cl"))).as("__hmin"));
      aggs.add(max(xxhash64(col("__cl"))).as("__hmax"));
    }
    Dataset<Row> t = d.groupBy(fe).agg(count(lit(1)).as("__n"), aggs.toArray(new Column[0])).localCheckpoint();
    long levels = t.count();
    boolean nested = isCluster || (check && t.filter(col("__hmin").notEqual(col("__hmax"))).isEmpty());
    return new Levels(t, levels, nested);
  }

  /** One level of a fixed effect and its weight sum. */
  record Level(Object value, double weight) {}

  /** The levels of a fixed effect with few levels with their weight sums, in a stable order (for dummy columns). */
  static List<Level> levelValues(Levels l, int f) {
    List<Level> values = new ArrayList<>();
    for (Row r : l.table().select("__fe" + f, "__sw").orderBy("__fe" + f).collectAsList()) {
      values.add(new Level(r.get(0), r.getDouble(1)));
    }
    return values;
  }

  /** The rows with {@code vars} demeaned by the fixed effects {@code absorbed}, and the sweeps it took. */
  record Demeaned(Dataset<Row> data, int iterations) {}

  /**
   * Weighted within transformation by alternating projections: each sweep subtracts, for every absorbed effect in
   * turn, the weighted group means of every variable. One effect needs one sweep (exact); with more, sweeps go on
   * until the largest group mean subtracted in a whole sweep is below {@code tolerance}.
   */
  static Demeaned demean(Dataset<Row> data, List<String> vars, List<Integer> absorbed, List<Levels> levels,
      double tolerance, int maxIterations) {
    Dataset<Row> d = data;
    int it = 0;
    while (true) {
      it++;
      double worst = 0;
      for (int f : absorbed) {
        String fe = "__fe" + f;
        List<Column> aggs = new ArrayList<>();
        for (String v : vars) {
          aggs.add(sum(col("__w").multiply(col(v))).divide(sum("__w")).as("__m_" + v));
        }
        Dataset<Row> means = withoutStatistics(d.groupBy(col(fe).as("__key"))
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).localCheckpoint());
        if (absorbed.size() > 1) {
          List<Column> maxes = new ArrayList<>();
          for (String v : vars) {
            maxes.add(max(abs(col("__m_" + v))));
          }
          Row row = means.agg(maxes.get(0), maxes.subList(1, maxes.size()).toArray(new Column[0])).head();
          for (int i = 0; i < vars.size(); i++) {
            worst = Math.max(worst, row.isNullAt(i) ? 0 : row.getDouble(i));
          }
        }
        Dataset<Row> joined = d.join(broadcastIfSmall(means, levels.get(f).count()),
            d.col(fe).equalTo(means.col("__key")));
        List<Column> out = new ArrayList<>();
        for (String c : d.columns()) {
          out.add(vars.contains(c) ? d.col(c).minus(means.col("__m_" + c)).as(c) : d.col(c));
        }
        d = joined.select(out.toArray(new Column[0]));
      }
      if (absorbed.size() == 1) {
        // Exact in one sweep; left as a plan (the rows joined to the broadcast means) rather than materialised:
        // recomputing it for the decomposition and the sandwich costs less than writing every transformed column.
        return new Demeaned(d, it);
      }
      d = d.localCheckpoint();
      if (worst < tolerance) {
        return new Demeaned(d, it);
      }
      if (it >= maxIterations) {
        throw LearningRegionsException.failure("fixed-effect demeaning did not converge in " + maxIterations
            + " iterations (largest group mean " + worst + ")");
      }
    }
  }

  /**
   * The same rows without the size estimate a checkpoint inherits from its plan. Spark estimates a join's size as
   * the product of its sides; a means table estimated from the data it is joined back to would square the estimate
   * on every sweep, and after a few dozen sweeps the planner spends minutes multiplying numbers of millions of digits.
   */
  private static Dataset<Row> withoutStatistics(Dataset<Row> small) {
    return small.sparkSession().createDataFrame(small.javaRDD(), small.schema());
  }

  private static Dataset<Row> broadcastIfSmall(Dataset<Row> table, long rows) {
    return rows <= BROADCAST_LEVELS ? broadcast(table) : table;
  }
}
