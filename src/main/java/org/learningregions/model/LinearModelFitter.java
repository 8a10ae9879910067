package org.learningregions.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weighted least squares with any number of absorbed fixed effects and classical, HC1, one-way or two-way
 * cluster-robust or Driscoll-Kraay standard errors ({@link SeType}), computed in Spark. See docs/METHODS.md for the
 * formulas and how they compare with Stata and R.
 *
 * <p>The sample is read once into primitive arrays held in memory per partition ({@link Design}); every later step
 * is a pass over those arrays, and what reaches the driver is a table per level or a small matrix:
 * <ol>
 *   <li>sample: rows with a missing, NaN or infinite value (or a weight not above 0) are counted and left out;
 *       observations alone in a fixed-effect level are dropped until none is left (counted; an option keeps
 *       them);</li>
 *   <li>design: with exactly two fixed effects, the one with fewer levels (up to a configured number) enters as
 *       dummy columns and the other is absorbed in one exact sweep; otherwise every effect is absorbed by
 *       alternating weighted demeaning until the largest level mean is below tolerance; without effects, columns
 *       are centred on their weighted means and an intercept kept;</li>
 *   <li>solver: tall-skinny QR of {@code sqrt(w)[Z y]} ({@link Tsqr}), collinear columns dropped by their R
 *       diagonal and reported, back substitution;</li>
 *   <li>inference: the classical covariance from R, or the sandwich ({@link Sandwich}) with the conventions of
 *       {@link SeType}, then {@link Inference}.</li>
 * </ol>
 */
public final class LinearModelFitter {
  private static final Logger LOG = LoggerFactory.getLogger(LinearModelFitter.class);

  private final int maxIterations;
  private final double tolerance;
  private final int minClustersWarning;
  private final long dummyMaxLevels;

  /**
   * @param maxIterations most sweeps of alternating demeaning
   * @param tolerance largest weighted level mean left after demeaning
   * @param minClustersWarning warn below this many clusters
   * @param dummyMaxLevels with two fixed effects, the one with fewer levels enters as dummy columns when it has at
   *     most this many levels (0: always absorb by alternating projections)
   */
  public LinearModelFitter(int maxIterations, double tolerance, int minClustersWarning, long dummyMaxLevels) {
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.minClustersWarning = minClustersWarning;
    this.dummyMaxLevels = dummyMaxLevels;
  }

  public FitResult fit(Dataset<Row> input, ModelSpec spec) {
    ModelFrame.Columns frame = ModelFrame.columns(input, spec);
    Fit fit = new Fit(spec, frame.formula());
    fit.design = Design.read(input.sparkSession(), frame);
    try {
      return fit(fit);
    } finally {
      // Every design a step replaced was released then; this is the last one.
      fit.design.release();
    }
  }

  /** What one fit accumulates on the way. */
  private static final class Fit {
    final ModelSpec spec;
    final Formula formula;
    final int k;
    final int nFe;
    final List<String> warnings = new ArrayList<>();
    long nInput;
    long nComplete;
    long singletons;
    long n;
    LevelTable[] levels;
    final Map<String, Long> groups = new LinkedHashMap<>();
    final List<String> nested = new ArrayList<>();
    long clusters;
    int iterations;
    /** The current sample in memory: each step that transforms it replaces it. */
    Design design;
    private long mark = System.nanoTime();
    final StringBuilder timings = new StringBuilder();

    /** Notes how long the step since the last mark took (logged at the end: where a fit spends its time). */
    void step(String name) {
      long now = System.nanoTime();
      timings.append(timings.length() == 0 ? "" : ", ").append(name).append(' ')
          .append(String.format(java.util.Locale.ROOT, "%.2f", (now - mark) / 1e9)).append(" s");
      mark = now;
    }

    Fit(ModelSpec spec, Formula formula) {
      this.spec = spec;
      this.formula = formula;
      this.k = formula.terms().size();
      this.nFe = spec.fixedEffects().size();
    }
  }

  private FitResult fit(Fit fit) {
    ModelSpec spec = fit.spec;
    Design.Summary summary = sample(fit);
    fit.step("summarise");
    Design design = fit.design;
    checkClusters(fit, summary);
    double[] m = summary.moments();
    double sw = m[0];
    double meanY = m[1] / sw;
    double tssRaw = m[2] - sw * meanY * meanY;
    double[] meanX = new double[fit.k];
    double[] scaleX = new double[fit.k];
    for (int j = 0; j < fit.k; j++) {
      meanX[j] = m[3 + 2 * j] / sw;
      scaleX[j] = Math.sqrt(m[4 + 2 * j]);
    }

    // Two effects: the one with fewer levels (if few enough) as dummy columns, the other absorbed in one exact
    // sweep (Frisch-Waugh-Lovell: the slopes, residuals and sandwich of the full two-way model).
    int dummyFe = -1;
    if (fit.nFe == 2) {
      int smaller = fit.groups.get(spec.fixedEffects().get(0)) <= fit.groups.get(spec.fixedEffects().get(1)) ? 0 : 1;
      if (fit.groups.get(spec.fixedEffects().get(smaller)) <= dummyMaxLevels) {
        dummyFe = smaller;
      }
    }
    List<String> names = new ArrayList<>();
    List<Double> scales = new ArrayList<>();
    DesignRows rows;
    if (fit.nFe == 0) {
      names.add("(Intercept)");
      scales.add(Math.sqrt(sw));
      rows = DesignRows.pooled(fit.k, meanY, meanX);
    } else if (fit.nFe == 1) {
      // One effect: exact in one sweep, demeaned as rows are generated (no second copy of the data).
      fit.iterations = 1;
      rows = DesignRows.oneAbsorbed(fit.k, 0, design.levelSums(0, -1, null), -1, null);
    } else if (dummyFe >= 0) {
      int absorbed = 1 - dummyFe;
      fit.iterations = 1;
      LevelTable levels = fit.levels[dummyFe];
      Integer[] order = present(levels);
      Arrays.sort(order, Comparator.comparing(s -> levels.names[s]));
      // The first level is the reference; dummies come first so that a regressor collinear with this effect is the
      // column found collinear and dropped, never a dummy.
      LevelIndex columns = new LevelIndex(order.length);
      for (int c = 1; c < order.length; c++) {
        columns.slotOf(levels.index.key(order[c]));
        names.add(spec.fixedEffects().get(dummyFe) + "=" + levels.names[order[c]]);
        scales.add(Math.sqrt(levels.get(order[c], 1)));
      }
      rows = DesignRows.oneAbsorbed(fit.k, absorbed, design.levelSums(absorbed, dummyFe, columns), dummyFe,
          columns);
    } else {
      List<Integer> all = new ArrayList<>();
      for (int f = 0; f < fit.nFe; f++) {
        all.add(f);
      }
      design = absorb(fit, design, all);
      fit.design = design;
      rows = DesignRows.absorbed(fit.k);
    }
    int dummies = rows.dummies();
    for (int j = 0; j < fit.k; j++) {
      names.add(fit.formula.terms().get(j).name());
      scales.add(scaleX[j]);
    }
    fit.step("absorb");
    var rowsB = design.broadcast(rows);
    double[][] rFull = Tsqr.r(design, rowsB);
    fit.step("qr");
    LeastSquares.Solve solve = LeastSquares.solve(spec.name(), fit.warnings, rFull, names, scales, dummies);
    double ssr = solve.r()[solve.qAll()][solve.qAll()] * solve.r()[solve.qAll()][solve.qAll()];

    long dfAbsorbed = solve.keptDummies();
    int nAbsorbed = 0;
    for (int f = 0; f < fit.nFe; f++) {
      if (f != dummyFe) {
        dfAbsorbed += fit.groups.get(spec.fixedEffects().get(f));
        nAbsorbed++;
      }
    }
    if (nAbsorbed > 1) {
      dfAbsorbed -= nAbsorbed - 1;
    }
    int q = solve.qAll() - solve.keptDummies();
    long dfResid = fit.n - q - dfAbsorbed;
    if (dfResid <= 0) {
      throw LearningRegionsException.failure("model " + spec.name() + ": no residual degrees of freedom (" + fit.n
          + " observations, " + q + " regressors, " + dfAbsorbed + " absorbed fixed effects)");
    }
    if (spec.inference().cluster2() != null) {
      // Two-way: an effect nested in either cluster is not counted in K (fixest's fixef.K = "nested").
      boolean[] in2 = design.nestedInExtra(design.layout.cluster2());
      for (int f = 0; f < fit.nFe; f++) {
        String name = spec.fixedEffects().get(f);
        if (in2[f] && !fit.nested.contains(name)) {
          fit.nested.add(name);
        }
      }
    }
    long nestedLevels = 0;
    for (String f : fit.nested) {
      nestedLevels += fit.groups.get(f);
    }
    Covariances.Counts counts = new Covariances.Counts(fit.n, dfAbsorbed, dfResid, fit.clusters, nestedLevels,
        !fit.nested.isEmpty());
    Covariances.Covariance cov = Covariances.of(spec, design, rowsB, solve, ssr, counts);
    fit.step("covariance");
    WildBootstrap.Result wild = null;
    if (spec.inference().bootstrap() != null) {
      wild = WildBootstrap.run(spec, design, rowsB, solve, names, fit.clusters, fit.n, counts.kCluster(q),
          absorbedNested(fit, dummyFe), fit.warnings);
      fit.step("wild bootstrap");
    }
    LOG.info("model {}: {} rows; {}", spec.name(), fit.n, fit.timings);
    List<String> kept = new ArrayList<>();
    for (int i = solve.keptDummies(); i < solve.qAll(); i++) {
      kept.add(names.get(solve.keep().get(i)));
    }
    double[] b = Arrays.copyOfRange(solve.b(), solve.keptDummies(), solve.qAll());
    double[] meanKept = new double[Math.max(0, q - 1)];
    boolean centred = fit.nFe == 0 && solve.keep().get(0) == 0;
    if (centred) {
      for (int i = 1; i < q; i++) {
        meanKept[i - 1] = meanX[solve.keep().get(i) - 1];
      }
    }
    List<Coefficient> coefficients = Inference.coefficients(kept, b, cov.vcov(), centred, meanY, meanKept,
        cov.seType(), cov.convention(), cov.df());
    if (wild != null) {
      coefficients = wild.attach(coefficients);
    }
    double r2 = 1 - ssr / tssRaw;
    double adjR2 = 1 - (1 - r2) * (fit.n - 1) / dfResid;
    Double withinR2 = null;
    if (fit.nFe > 0) {
      // The within total sum of squares is the residual of y on the dummy columns alone (or y's norm when every
      // effect is absorbed), read off the triangular factor.
      int p = rFull.length - 1;
      int kd = solve.keptDummies();
      int[] dummyAndY = new int[kd + 1];
      for (int i = 0; i < kd; i++) {
        dummyAndY[i] = solve.keep().get(i);
      }
      dummyAndY[kd] = p;
      double[][] rd = Tsqr.select(rFull, dummyAndY);
      withinR2 = 1 - ssr / (rd[kd][kd] * rd[kd][kd]);
    }
    return new FitResult(spec, fit.nInput, fit.nInput - fit.nComplete, fit.singletons, fit.n, fit.groups,
        fit.clusters, fit.nested, q, dfAbsorbed, dfResid, r2, adjR2, withinR2, Math.sqrt(ssr / fit.n),
        Math.sqrt(ssr / dfResid), ssr, coefficients, solve.collinear(), fit.warnings, fit.iterations,
        Map.of("demean_iterations", (double) fit.iterations));
  }

  /**
   * Counts, drops singletons (unless kept) and records the levels of every effect on the final sample; returns the
   * summary of the final sample ({@code fit.design}).
   */
  private Design.Summary sample(Fit fit) {
    fit.design.blocks.count();
    fit.step("read");
    Design.Summary summary = fit.design.summary();
    fit.nInput = summary.read();
    fit.nComplete = summary.complete();
    fit.n = summary.complete();
    fit.levels = summary.levels();
    while (fit.nFe > 0 && fit.n > 0) {
      List<LevelIndex> singles = new ArrayList<>();
      boolean any = false;
      for (LevelTable t : fit.levels) {
        LevelIndex s = null;
        if (!fit.spec.keepSingletons()) {
          for (int g = 0; g < t.size(); g++) {
            if (t.get(g, 0) == 1) {
              s = s == null ? new LevelIndex(16) : s;
              s.slotOf(t.index.key(g));
              any = true;
            }
          }
        }
        singles.add(s);
      }
      if (!any) {
        break;
      }
      fit.design = fit.design.dropLevels(singles);
      summary = fit.design.summary();
      fit.singletons += fit.n - summary.complete();
      fit.n = summary.complete();
      fit.levels = summary.levels();
    }
    if (fit.n == 0) {
      throw new NoRowsException(fit.spec.name(), fit.nInput - fit.nComplete, fit.singletons);
    }
    for (int f = 0; f < fit.nFe; f++) {
      String name = fit.spec.fixedEffects().get(f);
      fit.groups.put(name, (long) present(fit.levels[f]).length);
      boolean isCluster = name.equals(fit.spec.cluster());
      boolean nested = fit.spec.cluster() != null;
      for (int g = 0; g < fit.levels[f].size() && nested && !isCluster; g++) {
        nested = fit.levels[f].get(g, 0) == 0 || !fit.levels[f].mixed[g];
      }
      if (nested) {
        fit.nested.add(name);
      }
    }
    return summary;
  }

  /** Whether every absorbed (not dummy-column) effect is nested in the cluster: then the WCR bootstrap is exact. */
  private static boolean absorbedNested(Fit fit, int dummyFe) {
    for (int f = 0; f < fit.nFe; f++) {
      if (f != dummyFe && !fit.nested.contains(fit.spec.fixedEffects().get(f))
          && !fit.spec.fixedEffects().get(f).equals(fit.spec.cluster())) {
        return false;
      }
    }
    return true;
  }

  private void checkClusters(Fit fit, Design.Summary summary) {
    ModelSpec spec = fit.spec;
    if (spec.cluster() == null) {
      return;
    }
    int clusterFe = spec.fixedEffects().indexOf(spec.cluster());
    fit.clusters = clusterFe >= 0 ? fit.groups.get(spec.cluster()) : present(summary.clusters()).length;
    if (spec.se() != SeType.CLUSTER) {
      return;
    }
    if (fit.clusters < 2) {
      throw LearningRegionsException.failure("model " + spec.name() + ": cluster-robust SE need at least 2 clusters, "
          + spec.cluster() + " has " + fit.clusters);
    }
    if (fit.clusters < minClustersWarning) {
      String w = "only " + fit.clusters + " clusters in " + spec.cluster() + ": cluster-robust SE are unreliable below "
          + "about " + minClustersWarning;
      fit.warnings.add(w);
      LOG.warn("model {}: {}", spec.name(), w);
    }
  }

  /**
   * Absorbs the effects {@code absorbed}: one exact sweep for one effect, else alternating sweeps until the largest
   * level mean subtracted in a whole sweep is below the tolerance.
   */
  private Design absorb(Fit fit, Design start, List<Integer> absorbed) {
    Design design = start;
    while (true) {
      fit.iterations++;
      double worst = 0;
      for (int f : absorbed) {
        LevelTable sums = design.levelSums(f, -1, null);
        if (absorbed.size() > 1) {
          worst = Math.max(worst, largestMean(sums));
        }
        design = design.subtractMeans(f, sums);
        fit.design = design;
      }
      if (absorbed.size() == 1 || worst < tolerance) {
        return design;
      }
      if (fit.iterations >= maxIterations) {
        throw LearningRegionsException.failure("fixed-effect demeaning did not converge in " + maxIterations
            + " iterations (largest level mean " + worst + ")");
      }
    }
  }

  private static double largestMean(LevelTable sums) {
    double worst = 0;
    for (int g = 0; g < sums.size(); g++) {
      double w = sums.get(g, 0);
      if (w > 0) {
        for (int v = 1; v < sums.width; v++) {
          worst = Math.max(worst, Math.abs(sums.get(g, v) / w));
        }
      }
    }
    return worst;
  }

  /** Slots of the levels that have rows. */
  private static Integer[] present(LevelTable t) {
    List<Integer> out = new ArrayList<>();
    for (int g = 0; g < t.size(); g++) {
      if (t.get(g, 0) > 0) {
        out.add(g);
      }
    }
    return out.toArray(new Integer[0]);
  }
}
