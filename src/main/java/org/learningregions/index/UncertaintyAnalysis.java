package org.learningregions.index;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Uncertainty and sensitivity analysis of a composite index (Saisana, Saltelli &amp; Tarantola 2005): each uncertain
 * choice is a factor drawn uniformly (normalisation, weighting, aggregation, which indicator to leave out, and the
 * survey indicators' sampling error), the index and ranks are recomputed per draw, and
 *
 * <ul>
 *   <li>the Monte Carlo distribution of each region's rank gives its median and 5th-95th percentile interval, from
 *       the 2N independent draws of the Saltelli design's A and B matrices;
 *   <li>the Sobol first-order and total-effect indices ({@link Sobol}) of each factor on the mean absolute rank shift
 *       from the nominal ranking say which choice moves the ranks most.
 * </ul>
 *
 * <p>Draws are distributed over Spark: each task rebuilds its design rows from the seed (row j of A from seed + 2j,
 * of B from seed + 2j + 1) and scores the broadcast region x indicator matrix; ranks leave as (region, rank) rows,
 * regions x 2N of them, and only the per-region percentiles (exact, Spark's {@code percentile}) and the N x (k + 2)
 * model values of the design reach the driver.
 */
public final class UncertaintyAnalysis {
  /**
   * What varies.
   *
   * @param draws N: 2N Monte Carlo draws for the ranks, N (k + 2) index evaluations for the Sobol indices
   * @param dropOne whether leaving out one indicator (or none) is a factor
   * @param perturb whether the survey indicators' sampling error is a factor (values + se x N(0, 1))
   */
  public record Settings(int draws, long seed, List<Normalisation> normalisations, List<Weighting> weightings,
      List<Aggregation> aggregations, boolean dropOne, boolean perturb) implements Serializable {
    public Settings {
      normalisations = List.copyOf(normalisations);
      weightings = List.copyOf(weightings);
      aggregations = List.copyOf(aggregations);
    }

    /** The factors in design order. */
    public List<String> factors() {
      List<String> f = new ArrayList<>(List.of("normalisation", "weighting", "aggregation"));
      if (dropOne) {
        f.add("indicator left out");
      }
      if (perturb) {
        f.add("sampling error");
      }
      return f;
    }
  }

  /** A region's nominal rank and its Monte Carlo rank distribution. */
  public record RegionRanks(int region, int nominal, double median, double p05, double p95) {}

  /** The ranks, and the sensitivity of the mean absolute rank shift to each factor ({@link Settings#factors()}). */
  public record Result(List<RegionRanks> ranks, Sobol.Indices sensitivity, List<String> factors) {}

  record Model(CompositeIndex index, double[][] se, CompositeIndex.Choice nominal, int[] nominalRanks,
      Settings settings) implements Serializable {}

  private UncertaintyAnalysis() {}

  /**
   * @param se standard errors of the values (regions x indicators), NaN where an indicator has none
   */
  public static Result run(SparkSession spark, CompositeIndex index, double[][] se, CompositeIndex.Choice nominal,
      Settings s) {
    int[] nominalRanks = CompositeIndex.ranks(index.score(nominal).index());
    Broadcast<Model> model = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new Model(index, se, nominal, nominalRanks, s));
    try {
      int n = s.draws();
      int partitions = Math.max(2, spark.sparkContext().defaultParallelism() * 2);
      Dataset<Tuple2<Integer, Integer>> ranks = spark.range(0, 2L * n, 1, partitions)
          .flatMap((FlatMapFunction<Long, Tuple2<Integer, Integer>>) id -> ranksOf(model.value(), id),
              Encoders.tuple(Encoders.INT(), Encoders.INT()));
      List<Row> dist = ranks.toDF("region", "rank").filter(col("rank").gt(0)).groupBy("region")
          .agg(expr("percentile(rank, array(0.05, 0.5, 0.95))").as("q")).orderBy("region").collectAsList();
      List<RegionRanks> out = new ArrayList<>();
      for (Row r : dist) {
        int region = r.getInt(0);
        List<Double> q = r.getList(1);
        out.add(new RegionRanks(region, nominalRanks[region], q.get(1), q.get(0), q.get(2)));
      }
      List<double[]> values = spark.range(0, n, 1, partitions)
          .map((MapFunction<Long, double[]>) j -> design(model.value(), j), Encoders.kryo(double[].class))
          .collectAsList();
      int k = s.factors().size();
      double[] fa = new double[n];
      double[] fb = new double[n];
      double[][] fab = new double[n][k];
      for (int j = 0; j < n; j++) {
        double[] v = values.get(j);
        fa[j] = v[0];
        fb[j] = v[1];
        System.arraycopy(v, 2, fab[j], 0, k);
      }
      return new Result(out, Sobol.fromEvaluations(fa, fb, fab), s.factors());
    } finally {
      model.destroy();
    }
  }

  /** Row j of A (even stream) or B (odd stream): one uniform number per factor. */
  static double[] row(long seed, long j, boolean b, int factors) {
    SplittableRandom r = new SplittableRandom(seed + 2 * j + (b ? 1 : 0));
    double[] u = new double[factors];
    for (int i = 0; i < factors; i++) {
      u[i] = r.nextDouble();
    }
    return u;
  }

  private static Iterator<Tuple2<Integer, Integer>> ranksOf(Model m, long id) {
    int n = m.settings().draws();
    int k = m.settings().factors().size();
    double[] u = row(m.settings().seed(), id % n, id >= n, k);
    int[] ranks = CompositeIndex.ranks(scores(m, u));
    List<Tuple2<Integer, Integer>> out = new ArrayList<>(ranks.length);
    for (int i = 0; i < ranks.length; i++) {
      out.add(new Tuple2<>(i, ranks[i]));
    }
    return out.iterator();
  }

  /** f(A_j), f(B_j), then f(AB_i,j) for each factor i: the mean absolute rank shift from the nominal ranking. */
  private static double[] design(Model m, long j) {
    int k = m.settings().factors().size();
    double[] a = row(m.settings().seed(), j, false, k);
    double[] b = row(m.settings().seed(), j, true, k);
    double[] out = new double[k + 2];
    out[0] = shift(m, a);
    out[1] = shift(m, b);
    for (int i = 0; i < k; i++) {
      double[] ab = a.clone();
      ab[i] = b[i];
      out[2 + i] = shift(m, ab);
    }
    return out;
  }

  private static double shift(Model m, double[] u) {
    int[] ranks = CompositeIndex.ranks(scores(m, u));
    double sum = 0;
    int count = 0;
    for (int i = 0; i < ranks.length; i++) {
      if (ranks[i] > 0 && m.nominalRanks()[i] > 0) {
        sum += Math.abs(ranks[i] - m.nominalRanks()[i]);
        count++;
      }
    }
    return count == 0 ? 0 : sum / count;
  }

  /** The index under the choices that {@code u} picks. */
  static double[] scores(Model m, double[] u) {
    Settings s = m.settings();
    int f = 0;
    Normalisation norm = pick(s.normalisations(), u[f++]);
    Weighting weighting = pick(s.weightings(), u[f++]);
    Aggregation aggregation = pick(s.aggregations(), u[f++]);
    int dropped = -1;
    int k = m.index().indicators();
    if (s.dropOne()) {
      dropped = (int) Math.min(k, Math.floor(u[f++] * (k + 1))) - 1;
    }
    double[][] x = m.index().values();
    if (s.perturb()) {
      x = perturbed(x, m.se(), new SplittableRandom(Double.doubleToLongBits(u[f])));
    }
    return m.index().score(new CompositeIndex.Choice(norm, weighting, aggregation, dropped), x).index();
  }

  private static <T> T pick(List<T> options, double u) {
    return options.get((int) Math.min(options.size() - 1, Math.floor(u * options.size())));
  }

  /** Values plus se x N(0, 1) where an se is given (Box-Muller from the draw's own stream). */
  static double[][] perturbed(double[][] x, double[][] se, SplittableRandom r) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
      for (int j = 0; j < x[i].length; j++) {
        if (!Double.isNaN(se[i][j]) && !Double.isNaN(x[i][j])) {
          double z = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
          out[i][j] += se[i][j] * z;
        }
      }
    }
    return out;
  }
}
