package org.learningregions.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.broadcast.Broadcast;
import org.learningregions.LearningRegionsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wild cluster restricted bootstrap (WCR) of every regressor's coefficient, with the "fast and wild" algebra of
 * Roodman, MacKinnon, Nielsen and Webb (2019): after one pass that sums, per cluster g, {@code A_g = Z_g'W Z_g} and
 * {@code c_g = Z_g'W y_g} over the design's kept columns Z (dummy columns, regressors; absorbed effects already
 * partialled out), every bootstrap statistic is a function of G small vectors, so no draw refits anything.
 *
 * <p>For H0: {@code beta_j = r}, the restricted estimate is linear in r, so are the restricted scores
 * {@code s_g(r) = c_g - A_g beta~(r)}; with {@code k_g = A^-1 s_g} and {@code f_g = A_g a} ({@code a} row j of
 * {@code A^-1}), a draw v gives {@code beta*_j - r = sum_g v_g k_g[j]} and the cluster score of the bootstrap fit
 * {@code a' s*_g = v_g k_g[j] - f_g' sum_h v_h k_h}. Numerator and every score are linear in r, so each draw keeps five
 * numbers and the p-value at any r costs one pass over the draws: that is what makes the confidence interval by test
 * inversion (a root search on p(r)) cheap.
 *
 * <p>The bootstrap t uses the same cluster-robust variance (and small-sample factor) as the t it is compared with;
 * p = share of draws with |t*| >= |t| (a relative tolerance of 1e-10 makes the draw v = 1, whose t* equals t, count
 * whatever the rounding). With Rademacher weights and 2^G no larger than the draws asked for, all 2^G sign vectors are
 * enumerated: the p-value is then exact and needs no seed.
 *
 * <p>Absorbed fixed effects nested in the cluster (e.g. region effects with region or country clusters) leave the
 * bootstrap exact; dummy columns (the year effects of a two-way model) are part of Z and re-estimated in each draw.
 * Absorbed effects not nested in the cluster are treated as fwildclusterboot does (the bootstrap runs on the
 * partialled-out data); a warning says so.
 */
final class WildBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(WildBootstrap.class);
  /** Most doubles of the per-cluster cross-products: the bootstrap is meant for tens to hundreds of clusters. */
  static final long MAX_CELLS = 50_000_000L;
  static final double LEVEL = 0.05;
  /** Relative tolerance of |t*| >= |t| (the draw v = 1 has t* = t up to rounding). */
  static final double TIE = 1e-10;

  private final int p;
  private final int g;
  /** Per cluster: A_g (p x p, full) and c_g. */
  private final double[][][] a;
  private final double[][] c;
  private final double[][] aInv;
  private final double[] beta;
  /** The small-sample factor of the cluster variance; it cancels in the comparison but not in the t reported. */
  private final double factor;
  private final double[][] weights;
  private final String how;

  WildBootstrap(double[][][] a, double[][] c, double[][] aInv, double[] beta, double factor, double[][] weights,
      String how) {
    this.a = a;
    this.c = c;
    this.aInv = aInv;
    this.beta = beta;
    this.factor = factor;
    this.weights = weights;
    this.how = how;
    this.p = beta.length;
    this.g = a.length;
  }

  /** Bootstrap results per term. */
  record Result(Map<String, double[]> byTerm, String how) {
    List<Coefficient> attach(List<Coefficient> coefficients) {
      List<Coefficient> out = new ArrayList<>();
      for (Coefficient co : coefficients) {
        double[] r = byTerm.get(co.term());
        out.add(r == null ? co : co.withBootstrap(r[0], r[1], r[2], how));
      }
      return out;
    }
  }

  /**
   * Runs the bootstrap for every kept regressor (not dummy columns, not the intercept).
   *
   * @param names every design column's name (dummies, intercept, regressors)
   * @param kCluster K of the cluster small-sample factor
   * @param exact whether every absorbed effect is nested in the cluster
   */
  static Result run(ModelSpec spec, Design design, Broadcast<DesignRows> rows, LeastSquares.Solve solve,
      List<String> names, long clusters, long n, long kCluster, boolean exact, List<String> warnings) {
    BootstrapSpec bs = spec.inference().bootstrap();
    int[] keep = solve.keep().stream().mapToInt(Integer::intValue).toArray();
    int p = keep.length;
    long cells = clusters * ((long) p * p + p);
    if (cells > MAX_CELLS) {
      throw LearningRegionsException.usage("model " + spec.name() + ": the wild cluster bootstrap keeps a " + p + " x "
          + p + " matrix per cluster, too much for " + clusters + " clusters (it is meant for few clusters; use "
          + "cluster-robust SE, or a coarser cluster)");
    }
    if (!exact) {
      String w = "wild bootstrap: absorbed fixed effects not nested in " + spec.cluster() + " are partialled out "
          + "before bootstrapping (as fwildclusterboot); enter them as dummy columns for an exact bootstrap";
      warnings.add(w);
      LOG.warn("model {}: {}", spec.name(), w);
    }
    LevelTable sums = crossProducts(design, rows, keep);
    List<double[][]> aList = new ArrayList<>();
    List<double[]> cList = new ArrayList<>();
    int width = p * p + p + 1;
    for (int l = 0; l < sums.size(); l++) {
      if (sums.get(l, width - 1) == 0) {
        continue;
      }
      double[][] al = new double[p][p];
      double[] cl = new double[p];
      int base = l * width;
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          al[i][j] = sums.sums[base + i * p + j];
        }
        cl[i] = sums.sums[base + p * p + i];
      }
      aList.add(al);
      cList.add(cl);
    }
    int gCount = aList.size();
    double[][] aInv = Inference.inverseOfGram(solve.r(), p, 0);
    double factor = Covariances.clusterFactor(gCount, n, kCluster);
    Draws draws = draws(bs, gCount);
    WildBootstrap wb = new WildBootstrap(aList.toArray(new double[0][][]), cList.toArray(new double[0][]), aInv,
        solve.b().clone(), factor, draws.weights(), draws.how());
    Map<String, double[]> out = new HashMap<>();
    for (int t = solve.keptDummies(); t < p; t++) {
      String name = names.get(keep[t]);
      if (name.equals("(Intercept)")) {
        continue;
      }
      WcrPValue test = wb.test(t);
      double[] ci = test.interval(LEVEL);
      out.put(name, new double[] {test.pValue(0), ci[0], ci[1]});
    }
    return new Result(out, draws.how());
  }

  /** Per cluster: A_g in the first p*p columns, c_g in the next p, the row count last. */
  private static LevelTable crossProducts(Design design, Broadcast<DesignRows> rows, int[] keep) {
    Broadcast<int[]> keepB = design.broadcast(keep);
    int p = keep.length;
    int width = p * p + p + 1;
    return design.blocks.map(b -> {
      DesignRows dr = rows.value();
      int[] kept = keepB.value();
      LevelTable t = new LevelTable(width, b.clLevels.size());
      int[] slot = Design.local(t, b.clLevels, null);
      DesignRows.Prepared prepared = dr.new Prepared(b);
      double[] z = new double[dr.columns() + 1];
      double[] zk = new double[p];
      int y = dr.columns();
      for (int i = 0; i < b.n; i++) {
        prepared.fill(i, z);
        for (int j = 0; j < p; j++) {
          zk[j] = z[kept[j]];
        }
        double w = b.w[i];
        int base = slot[b.cl[i]] * width;
        for (int r = 0; r < p; r++) {
          double wr = w * zk[r];
          int row = base + r * p;
          for (int s = 0; s < p; s++) {
            t.sums[row + s] += wr * zk[s];
          }
          t.sums[base + p * p + r] += wr * z[y];
        }
        t.sums[base + width - 1] += 1;
      }
      return t;
    }).treeReduce(LevelTable::merge, 2);
  }

  /** The cluster-level weights of every draw (draws x G) and how they were drawn. */
  record Draws(double[][] weights, String how) {}

  static Draws draws(BootstrapSpec bs, int clusters) {
    if (bs.weights() == BootstrapSpec.Weights.RADEMACHER && clusters < 31 && (1L << clusters) <= bs.draws()) {
      int b = 1 << clusters;
      double[][] v = new double[b][clusters];
      for (int d = 0; d < b; d++) {
        for (int h = 0; h < clusters; h++) {
          v[d][h] = ((d >>> h) & 1) == 0 ? 1 : -1;
        }
      }
      return new Draws(v, "wcr:rademacher:enumerated:" + b);
    }
    SplittableRandom random = new SplittableRandom(bs.seed());
    double[] webb = {-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)};
    double[][] v = new double[bs.draws()][clusters];
    for (int d = 0; d < bs.draws(); d++) {
      for (int h = 0; h < clusters; h++) {
        v[d][h] = bs.weights() == BootstrapSpec.Weights.RADEMACHER ? (random.nextBoolean() ? 1 : -1)
            : webb[random.nextInt(6)];
      }
    }
    return new Draws(v, "wcr:" + bs.weights().label() + ":sampled:" + bs.draws() + ":seed=" + bs.seed());
  }

  /**
   * The test of coefficient {@code j}: per draw, the numerator {@code beta*_j - r = n0 + r n1} and the sum of squared
   * cluster scores {@code d0 + 2 r d1 + r^2 d2}; and the same for the original sample.
   */
  WcrPValue test(int j) {
    double[] col = new double[p];
    for (int i = 0; i < p; i++) {
      col[i] = aInv[i][j] / aInv[j][j];
    }
    double[] rest0 = new double[p];
    for (int i = 0; i < p; i++) {
      rest0[i] = beta[i] - beta[j] * col[i];
    }
    // Per cluster: k0 = A^-1 s0, k1 = A^-1 s1 (restricted scores s(r) = s0 + r s1) and f = A_g a.
    double[][] k0 = new double[g][];
    double[][] k1 = new double[g][];
    double[][] f = new double[g][];
    double sumSq = 0;
    for (int h = 0; h < g; h++) {
      double[] s0 = new double[p];
      double[] s1 = new double[p];
      double[] full = new double[p];
      for (int r = 0; r < p; r++) {
        double x0 = c[h][r];
        double x1 = 0;
        double xf = c[h][r];
        for (int s = 0; s < p; s++) {
          x0 -= a[h][r][s] * rest0[s];
          x1 -= a[h][r][s] * col[s];
          xf -= a[h][r][s] * beta[s];
        }
        s0[r] = x0;
        s1[r] = x1;
        full[r] = xf;
      }
      k0[h] = multiply(aInv, s0);
      k1[h] = multiply(aInv, s1);
      f[h] = multiply(a[h], aInv[j]);
      double score = dot(aInv[j], full);
      sumSq += score * score;
    }
    int draws = weights.length;
    double[] n0 = new double[draws];
    double[] n1 = new double[draws];
    double[] d0 = new double[draws];
    double[] d1 = new double[draws];
    double[] d2 = new double[draws];
    double[] kappa0 = new double[p];
    double[] kappa1 = new double[p];
    for (int d = 0; d < draws; d++) {
      double[] v = weights[d];
      java.util.Arrays.fill(kappa0, 0);
      java.util.Arrays.fill(kappa1, 0);
      for (int h = 0; h < g; h++) {
        double vh = v[h];
        double[] a0 = k0[h];
        double[] a1 = k1[h];
        for (int r = 0; r < p; r++) {
          kappa0[r] += vh * a0[r];
          kappa1[r] += vh * a1[r];
        }
      }
      double sa = 0;
      double sab = 0;
      double sb = 0;
      for (int h = 0; h < g; h++) {
        double alpha = v[h] * k0[h][j] - dot(f[h], kappa0);
        double b = v[h] * k1[h][j] - dot(f[h], kappa1);
        sa += alpha * alpha;
        sab += alpha * b;
        sb += b * b;
      }
      n0[d] = kappa0[j];
      n1[d] = kappa1[j];
      d0[d] = sa;
      d1[d] = sab;
      d2[d] = sb;
    }
    double se = Math.sqrt(factor * sumSq);
    return new WcrPValue(beta[j], se, factor, n0, n1, d0, d1, d2);
  }

  /**
   * The p-value of H0: beta_j = r computed draw by draw without the fast algebra: the bootstrap coefficients
   * {@code A^-1 sum_g v_g s_g(r)} and every cluster's score of the bootstrap fit formed as vectors. Slower
   * (G p^2 per draw); kept to check {@link #test} in tests.
   */
  double pValueDirect(int j, double r) {
    double[] restricted = new double[p];
    for (int i = 0; i < p; i++) {
      restricted[i] = beta[i] - (beta[j] - r) * aInv[i][j] / aInv[j][j];
    }
    double[][] s = new double[g][p];
    double sumSq = 0;
    for (int h = 0; h < g; h++) {
      double[] full = new double[p];
      for (int q = 0; q < p; q++) {
        double x = c[h][q];
        double xf = c[h][q];
        for (int t = 0; t < p; t++) {
          x -= a[h][q][t] * restricted[t];
          xf -= a[h][q][t] * beta[t];
        }
        s[h][q] = x;
        full[q] = xf;
      }
      double sc = dot(aInv[j], full);
      sumSq += sc * sc;
    }
    double t = (beta[j] - r) / Math.sqrt(factor * sumSq);
    int hits = 0;
    for (double[] v : weights) {
      double[] total = new double[p];
      for (int h = 0; h < g; h++) {
        for (int q = 0; q < p; q++) {
          total[q] += v[h] * s[h][q];
        }
      }
      double[] delta = multiply(aInv, total);
      double den = 0;
      for (int h = 0; h < g; h++) {
        double[] star = new double[p];
        double[] ad = multiply(a[h], delta);
        for (int q = 0; q < p; q++) {
          star[q] = v[h] * s[h][q] - ad[q];
        }
        double sc = dot(aInv[j], star);
        den += sc * sc;
      }
      double tStar = delta[j] / Math.sqrt(factor * den);
      if (Math.abs(tStar) >= Math.abs(t) * (1 - TIE)) {
        hits++;
      }
    }
    return (double) hits / weights.length;
  }

  private static double[] multiply(double[][] m, double[] v) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = dot(m[i], v);
    }
    return out;
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }
}
