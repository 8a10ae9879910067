package org.learningregions.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.learningregions.LearningRegionsException;
import org.learningregions.config.ModelSpecConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weighted least squares with any number of absorbed fixed effects and classical, HC1 or one-way cluster-robust
 * standard errors, computed in Spark. See docs/METHODS.md for the formulas and how they compare with Stata and R.
 *
 * <p>Steps: drop rows with missing values (counted); drop singleton FE groups iteratively (counted; an option keeps
 * them); with two or more fixed effects, enter the one with fewest levels (up to a configured number) as dummy
 * columns; absorb the others by alternating weighted demeaning until the largest group mean is below tolerance
 * (one sweep is exact for one absorbed effect); without FE, centre every column on its weighted mean
 * and keep an intercept (an exact reparametrisation that keeps ill-conditioned data such as Longley accurate);
 * tall-skinny QR of {@code sqrt(w)[X y]}; collinear columns dropped by their R diagonal and reported; sandwich
 * "meat" summed per cluster in Spark.
 */
public final class LinearModelFitter {
  private static final Logger LOG = LoggerFactory.getLogger(LinearModelFitter.class);
  private static final double COLLINEAR_TOLERANCE = 1e-9;

  private final int maxIterations;
  private final double tolerance;
  private final int minClustersWarning;
  private final long dummyMaxLevels;

  /**
   * @param maxIterations most sweeps of alternating demeaning
   * @param tolerance largest weighted group mean left after demeaning
   * @param minClustersWarning warn below this many clusters
   * @param dummyMaxLevels with two or more fixed effects, the one with fewest levels enters as dummy columns when
   *     it has at most this many levels (0: always absorb by alternating projections)
   */
  public LinearModelFitter(int maxIterations, double tolerance, int minClustersWarning, long dummyMaxLevels) {
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.minClustersWarning = minClustersWarning;
    this.dummyMaxLevels = dummyMaxLevels;
  }

  public FitResult fit(Dataset<Row> input, ModelSpecConfig spec) {
    ModelFrame frame = ModelFrame.of(input, spec);
    Formula formula = frame.formula();
    long nInput = frame.nInput();
    long nComplete = frame.nComplete();
    int k = formula.terms().size();
    int nFe = spec.fixedEffects().size();
    List<String> warnings = new ArrayList<>();
    int clusterFe = spec.cluster() == null ? -1 : spec.fixedEffects().indexOf(spec.cluster());
    FixedEffectAbsorber.Sample effects = FixedEffectAbsorber.prepare(frame.rows(), nComplete, nFe,
        spec.keepSingletons(), spec.cluster() != null, clusterFe);
    Dataset<Row> sample = effects.data();
    long singletons = effects.singletons();
    long n = effects.rows();
    if (n == 0) {
      throw LearningRegionsException.failure("model " + spec.name() + ": no rows left after dropping " + (nInput - nComplete)
          + " rows with missing values and " + singletons + " singletons");
    }

    // Group counts, clusters, nesting in the cluster.
    Map<String, Long> groups = new LinkedHashMap<>();
    List<String> nested = new ArrayList<>();
    for (int f = 0; f < nFe; f++) {
      String name = spec.fixedEffects().get(f);
      FixedEffectAbsorber.Levels l = effects.levels().get(f);
      groups.put(name, l.count());
      if (l.nestedInCluster()) {
        nested.add(name);
      }
    }
    long clusters = 0;
    if (spec.cluster() != null) {
      clusters = clusterFe >= 0 ? groups.get(spec.cluster()) : sample.select("__cl").distinct().count();
    }
    if (spec.se() == SeType.CLUSTER) {
      if (clusters < 2) {
        throw LearningRegionsException.failure("model " + spec.name() + ": cluster-robust SE need at least 2 clusters, "
            + spec.cluster() + " has " + clusters);
      }
      if (clusters < minClustersWarning) {
        String w = "only " + clusters + " clusters in " + spec.cluster() + ": cluster-robust SE are unreliable below about "
            + minClustersWarning;
        warnings.add(w);
        LOG.warn("model {}: {}", spec.name(), w);
      }
    }
    List<Column> moments = new ArrayList<>(List.of(sum("__w"), sum(col("__w").multiply(col("__y"))),
        sum(col("__w").multiply(col("__y")).multiply(col("__y")))));
    for (int j = 0; j < k; j++) {
      moments.add(sum(col("__w").multiply(col("__x" + j))));
      moments.add(sum(col("__w").multiply(col("__x" + j)).multiply(col("__x" + j))));
    }
    Row m = sample.agg(moments.get(0), moments.subList(1, moments.size()).toArray(new Column[0])).head();
    double sw = m.getDouble(0);
    double meanY = m.getDouble(1) / sw;
    double tssRaw = m.getDouble(2) - sw * meanY * meanY;
    double[] meanX = new double[k];
    double[] scaleX = new double[k];
    for (int j = 0; j < k; j++) {
      meanX[j] = m.getDouble(3 + 2 * j) / sw;
      scaleX[j] = Math.sqrt(m.getDouble(4 + 2 * j));
    }

    // With two or more effects, the one with fewest levels (if few enough) enters as dummy columns and the others
    // are absorbed: by Frisch-Waugh-Lovell the slopes, residuals and sandwich are those of the full two-way
    // model, and one absorbed effect needs a single exact sweep instead of alternating projections.
    int dummyFe = -1;
    if (nFe >= 2) {
      for (int f = 0; f < nFe; f++) {
        long g = effects.levels().get(f).count();
        if (g <= dummyMaxLevels && (dummyFe < 0 || g < effects.levels().get(dummyFe).count())) {
          dummyFe = f;
        }
      }
    }
    List<String> columns = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Double> scales = new ArrayList<>();
    List<String> vars = new ArrayList<>(List.of("__y"));
    Dataset<Row> design = sample;
    int dummies = 0;
    if (dummyFe >= 0) {
      List<FixedEffectAbsorber.Level> levels = FixedEffectAbsorber.levelValues(effects.levels().get(dummyFe), dummyFe);
      // The first level is the reference; dummies come first so that a regressor collinear with this effect is
      // the column found collinear and dropped, never a dummy.
      for (int i = 1; i < levels.size(); i++) {
        String c = "__d" + i;
        Object value = levels.get(i).value();
        design = design.withColumn(c, functions.when(col("__fe" + dummyFe).equalTo(lit(value)), 1.0).otherwise(0.0));
        columns.add(c);
        names.add(spec.fixedEffects().get(dummyFe) + "=" + value);
        scales.add(Math.sqrt(levels.get(i).weight()));
        vars.add(c);
        dummies++;
      }
    }
    for (int j = 0; j < k; j++) {
      vars.add("__x" + j);
    }
    int iterations = 0;
    boolean intercept = nFe == 0;
    if (intercept) {
      design = design.withColumn("__y", col("__y").minus(meanY));
      for (int j = 0; j < k; j++) {
        design = design.withColumn("__x" + j, col("__x" + j).minus(meanX[j]));
      }
      design = design.withColumn("__one", lit(1.0));
      columns.add("__one");
      names.add("(Intercept)");
      scales.add(Math.sqrt(sw));
    } else {
      List<Integer> absorbed = new ArrayList<>();
      for (int f = 0; f < nFe; f++) {
        if (f != dummyFe) {
          absorbed.add(f);
        }
      }
      FixedEffectAbsorber.Demeaned d = FixedEffectAbsorber.demean(design, vars, absorbed, effects.levels(), tolerance,
          maxIterations);
      design = d.data();
      iterations = d.iterations();
    }
    for (int j = 0; j < k; j++) {
      columns.add("__x" + j);
      names.add(formula.terms().get(j).name());
      scales.add(scaleX[j]);
    }
    int p = columns.size();
    List<Column> rowValues = new ArrayList<>();
    for (String c : columns) {
      rowValues.add(col(c).multiply(sqrt(col("__w"))));
    }
    rowValues.add(col("__y").multiply(sqrt(col("__w"))));
    double[][] rFull = Tsqr.r(design.select(rowValues.toArray(new Column[0])), p + 1);

    // Drop collinear columns one at a time, re-triangularising the small factor.
    List<Integer> keep = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      keep.add(j);
    }
    List<String> collinear = new ArrayList<>();
    double[][] r;
    while (true) {
      int[] sel2 = new int[keep.size() + 1];
      for (int i = 0; i < keep.size(); i++) {
        sel2[i] = keep.get(i);
      }
      sel2[keep.size()] = p;
      r = keep.size() == p ? rFull : Tsqr.select(rFull, sel2);
      int bad = -1;
      for (int i = 0; i < keep.size(); i++) {
        double scale = scales.get(keep.get(i));
        if (Math.abs(r[i][i]) <= COLLINEAR_TOLERANCE * Math.max(scale, Double.MIN_NORMAL)) {
          bad = i;
          break;
        }
      }
      if (bad < 0) {
        break;
      }
      String name = names.get(keep.get(bad));
      if (keep.get(bad) >= dummies) {
        collinear.add(name);
        warnings.add("dropped collinear term " + name);
        LOG.warn("model {}: term {} is collinear with other terms or the fixed effects; dropped", spec.name(), name);
      }
      keep.remove(bad);
      if (keep.size() <= countBelow(keep, dummies)) {
        throw LearningRegionsException.failure("model " + spec.name() + ": every term is collinear with the fixed effects");
      }
    }
    int qAll = keep.size();
    int keptDummies = countBelow(keep, dummies);
    int q = qAll - keptDummies;
    double[] bAll = new double[qAll];
    for (int i = qAll - 1; i >= 0; i--) {
      double s = r[i][qAll];
      for (int j = i + 1; j < qAll; j++) {
        s -= r[i][j] * bAll[j];
      }
      bAll[i] = s / r[i][i];
    }
    double ssr = r[qAll][qAll] * r[qAll][qAll];

    long dfAbsorbed = keptDummies;
    int nAbsorbed = 0;
    for (int f = 0; f < nFe; f++) {
      if (f != dummyFe) {
        dfAbsorbed += effects.levels().get(f).count();
        nAbsorbed++;
      }
    }
    if (nAbsorbed > 1) {
      dfAbsorbed -= nAbsorbed - 1;
    }
    long dfResid = n - q - dfAbsorbed;
    if (dfResid <= 0) {
      throw LearningRegionsException.failure("model " + spec.name() + ": no residual degrees of freedom (" + n
          + " observations, " + q + " regressors, " + dfAbsorbed + " absorbed fixed effects)");
    }

    // Only the regressors' block is reported. By Frisch-Waugh-Lovell it is the sandwich of the regressors
    // residualised on the dummy columns, x.. = x~ - Gamma'd~ with Gamma = R_DD^-1 R_DX from the factor: q scores
    // per row instead of q + dummies, and the regressors' block of (Z'WZ)^-1 as bread.
    int kd = keptDummies;
    double[][] rInv = upperInverse(r, qAll);
    double[][] breadX = new double[q][q];
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < q; j++) {
        double s = 0;
        for (int l = kd + Math.max(i, j); l < qAll; l++) {
          s += rInv[kd + i][l] * rInv[kd + j][l];
        }
        breadX[i][j] = s;
      }
    }
    double[] b = java.util.Arrays.copyOfRange(bAll, kd, qAll);
    double[][] vcov;
    String seType;
    String convention;
    double tDf;
    switch (spec.se()) {
      case CLASSICAL -> {
        double s2 = ssr / dfResid;
        vcov = scale(breadX, s2);
        seType = "classical";
        convention = "s^2 (X'WX)^-1, s^2 = SSR/(N-K), K = " + (q + dfAbsorbed) + "; t(N-K)";
        tDf = dfResid;
      }
      case HC1 -> {
        double[][] meat = meat(design, residualisedRegressors(r, kd, q, columns, keep), residual(columns, keep, bAll),
            null);
        vcov = scale(sandwich(breadX, meat), (double) n / dfResid);
        seType = "HC1";
        convention = "N/(N-K) sandwich, K = " + (q + dfAbsorbed) + "; t(N-K)";
        tDf = dfResid;
      }
      default -> {
        double[][] meat = meat(design, residualisedRegressors(r, kd, q, columns, keep), residual(columns, keep, bAll),
            "__cl");
        long nestedLevels = 0;
        for (String f : nested) {
          nestedLevels += groups.get(f);
        }
        long kCluster = q + dfAbsorbed - nestedLevels + (nested.isEmpty() ? 0 : 1);
        double c = (double) clusters / (clusters - 1) * (double) (n - 1) / (n - kCluster);
        vcov = scale(sandwich(breadX, meat), c);
        seType = "cluster:" + spec.cluster();
        convention = "G/(G-1)*(N-1)/(N-K) with G = " + clusters + ", K = " + kCluster
            + " (regressors + fixed effects not nested in the cluster" + (nested.isEmpty() ? "" : ", +1 for the absorbed constant")
            + "; as Stata xtreg/reghdfe and R fixest defaults); t(G-1)";
        tDf = clusters - 1;
      }
    }
    List<Integer> keepAll = keep;
    keep = new ArrayList<>(keep.subList(keptDummies, qAll));

    // Back to the original parametrisation when columns were centred: intercept = a - xbar'b.
    List<String> keptNames = new ArrayList<>();
    for (int i : keep) {
      keptNames.add(names.get(i));
    }
    if (intercept && keep.get(0) == 0) {
      double[] t = new double[q];
      t[0] = 1;
      for (int i = 1; i < q; i++) {
        t[i] = -meanX[keep.get(i) - 1];
      }
      double a = meanY + b[0];
      for (int i = 1; i < q; i++) {
        a += t[i] * b[i];
      }
      b[0] = a;
      double[][] v2 = new double[q][q];
      // V' = T V T' with T = [[1, -xbar'], [0, I]].
      double[][] tv = new double[q][q];
      for (int j = 0; j < q; j++) {
        double s = 0;
        for (int l = 0; l < q; l++) {
          s += t[l] * vcov[l][j];
        }
        tv[0][j] = s;
        for (int i = 1; i < q; i++) {
          tv[i][j] = vcov[i][j];
        }
      }
      for (int i = 0; i < q; i++) {
        double s = 0;
        for (int l = 0; l < q; l++) {
          s += tv[i][l] * t[l];
        }
        v2[i][0] = s;
        for (int j = 1; j < q; j++) {
          v2[i][j] = tv[i][j];
        }
      }
      vcov = v2;
    }

    TDistribution tDist = new TDistribution(tDf);
    double tCrit = tDist.inverseCumulativeProbability(0.975);
    List<Coefficient> coefficients = new ArrayList<>();
    for (int i = 0; i < q; i++) {
      double se = Math.sqrt(vcov[i][i]);
      double tv = b[i] / se;
      double pv = 2 * (1 - tDist.cumulativeProbability(Math.abs(tv)));
      coefficients.add(new Coefficient(keptNames.get(i), b[i], se, tv, pv, b[i] - tCrit * se, b[i] + tCrit * se,
          seType, convention, tDf));
    }
    double r2 = 1 - ssr / tssRaw;
    double adjR2 = 1 - (1 - r2) * (n - 1) / dfResid;
    Double withinR2 = null;
    if (!intercept) {
      // The within total sum of squares is the residual of y on the dummy columns alone (or y's norm when every
      // effect is absorbed), read off the triangular factor.
      int[] dummyAndY = new int[keptDummies + 1];
      for (int i = 0; i < keptDummies; i++) {
        dummyAndY[i] = keepAll.get(i);
      }
      dummyAndY[keptDummies] = p;
      double[][] rd = Tsqr.select(rFull, dummyAndY);
      double tssWithin = rd[keptDummies][keptDummies] * rd[keptDummies][keptDummies];
      withinR2 = 1 - ssr / tssWithin;
    }
    return new FitResult(spec, nInput, nInput - nComplete, singletons, n, groups, clusters, nested, q, dfAbsorbed,
        dfResid, r2, adjR2, withinR2, Math.sqrt(ssr / n), Math.sqrt(ssr / dfResid), ssr, coefficients, collinear,
        warnings, iterations, Map.of("demean_iterations", (double) iterations));
  }

  private static int countBelow(List<Integer> keep, int limit) {
    int c = 0;
    for (int i : keep) {
      if (i < limit) {
        c++;
      }
    }
    return c;
  }

  /** The residual y~ - Z b over every kept column (dummies included). */
  private static Column residual(List<String> columns, List<Integer> keep, double[] bAll) {
    Column fitted = lit(0.0);
    for (int i = 0; i < keep.size(); i++) {
      fitted = fitted.plus(col(columns.get(keep.get(i))).multiply(bAll[i]));
    }
    return col("__y").minus(fitted);
  }

  /** The kept regressors residualised on the kept dummy columns (the first {@code kd} of the factor). */
  private static List<Column> residualisedRegressors(double[][] r, int kd, int q, List<String> columns,
      List<Integer> keep) {
    List<Column> out = new ArrayList<>();
    for (int j = 0; j < q; j++) {
      // Gamma[., j] solves R_DD g = R_DX[., j] (upper triangular).
      double[] g = new double[kd];
      for (int i = kd - 1; i >= 0; i--) {
        double s = r[i][kd + j];
        for (int l = i + 1; l < kd; l++) {
          s -= r[i][l] * g[l];
        }
        g[i] = s / r[i][i];
      }
      Column x = col(columns.get(keep.get(kd + j)));
      for (int l = 0; l < kd; l++) {
        x = x.minus(col(columns.get(keep.get(l))).multiply(g[l]));
      }
      out.add(x);
    }
    return out;
  }

  /** Sum of outer products of scores w x e (x: {@code regressors}), per observation or per cluster. */
  private static double[][] meat(Dataset<Row> design, List<Column> regressors, Column residual, String cluster) {
    int q = regressors.size();
    Dataset<Row> scores = design.withColumn("__e", residual);
    List<Column> u = new ArrayList<>();
    for (int i = 0; i < q; i++) {
      u.add(col("__w").multiply(regressors.get(i)).multiply(col("__e")).as("__u" + i));
    }
    Dataset<Row> units;
    if (cluster == null) {
      units = scores.select(u.toArray(new Column[0]));
    } else {
      List<Column> sums = new ArrayList<>();
      for (int i = 0; i < q; i++) {
        sums.add(sum(u.get(i)).as("__u" + i));
      }
      units = scores.groupBy(cluster).agg(sums.get(0), sums.subList(1, sums.size()).toArray(new Column[0]));
    }
    // The outer products are summed in plain Java per partition: as q(q+1)/2 SQL aggregates they make one
    // generated method that grows with the square of the number of regressors.
    Column[] scoreColumns = new Column[q];
    for (int i = 0; i < q; i++) {
      scoreColumns[i] = col("__u" + i);
    }
    List<double[][]> parts = units.select(scoreColumns).queryExecution().toRdd().toJavaRDD()
        .mapPartitions(it -> {
          double[][] m = new double[q][q];
          double[] v = new double[q];
          boolean any = false;
          while (it.hasNext()) {
            org.apache.spark.sql.catalyst.InternalRow r = it.next();
            for (int i = 0; i < q; i++) {
              v[i] = r.getDouble(i);
            }
            for (int i = 0; i < q; i++) {
              for (int j = i; j < q; j++) {
                m[i][j] += v[i] * v[j];
              }
            }
            any = true;
          }
          return any ? java.util.Collections.singletonList(m).iterator()
              : java.util.Collections.<double[][]>emptyIterator();
        }).collect();
    double[][] meat = new double[q][q];
    for (double[][] m : parts) {
      for (int i = 0; i < q; i++) {
        for (int j = i; j < q; j++) {
          meat[i][j] += m[i][j];
        }
      }
    }
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < i; j++) {
        meat[i][j] = meat[j][i];
      }
    }
    return meat;
  }

  static double[][] upperInverse(double[][] r, int q) {
    double[][] inv = new double[q][q];
    for (int j = 0; j < q; j++) {
      inv[j][j] = 1 / r[j][j];
      for (int i = j - 1; i >= 0; i--) {
        double s = 0;
        for (int l = i + 1; l <= j; l++) {
          s += r[i][l] * inv[l][j];
        }
        inv[i][j] = -s / r[i][i];
      }
    }
    return inv;
  }

  static double[][] sandwich(double[][] bread, double[][] meat) {
    return multiply(multiply(bread, meat), bread);
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int mm = b[0].length;
    double[][] out = new double[n][mm];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < mm; j++) {
        double s = 0;
        for (int l = 0; l < b.length; l++) {
          s += a[i][l] * b[l][j];
        }
        out[i][j] = s;
      }
    }
    return out;
  }

  static double[][] scale(double[][] a, double c) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = a[i][j] * c;
      }
    }
    return out;
  }

}
