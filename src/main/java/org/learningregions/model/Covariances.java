package org.learningregions.model;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.spark.broadcast.Broadcast;

/**
 * The coefficients' covariance under the spec's convention ({@link SeType}): classical from the factor alone; HC1,
 * one- and two-way cluster-robust and Driscoll-Kraay as a sandwich whose meat {@link Sandwich} sums in one pass per
 * grouping, with the small-sample corrections named where they are stored. Only the regressors' block is formed: by
 * Frisch-Waugh-Lovell it is the sandwich of the regressors residualised on the dummy columns, with the regressors'
 * block of (Z'WZ)^-1 as bread.
 */
final class Covariances {
  private Covariances() {}

  /** A covariance with its convention and the t degrees of freedom. */
  record Covariance(double[][] vcov, String seType, String convention, double df) {}

  /**
   * What the small-sample factors count, from the fitted sample.
   *
   * @param n observations
   * @param dfAbsorbed degrees of freedom of the fixed effects (dummy columns kept plus absorbed levels)
   * @param dfResid N - K
   * @param clusters clusters of the (first) cluster column
   * @param nestedLevels levels of the fixed effects nested in the cluster (or, two-way, in either cluster)
   * @param anyNested whether any effect is so nested (+1 for the absorbed constant)
   */
  record Counts(long n, long dfAbsorbed, long dfResid, long clusters, long nestedLevels, boolean anyNested) {
    /** K of the cluster factor: q regressors + effects not nested in the cluster(s), +1 for the absorbed constant. */
    long kCluster(int q) {
      return q + dfAbsorbed - nestedLevels + (anyNested ? 1 : 0);
    }
  }

  /** The cluster small-sample factor {@code G/(G-1) * (N-1)/(N-K)} (Stata, fixest; the bootstrap uses it too). */
  static double clusterFactor(long g, long n, long k) {
    return (double) g / (g - 1) * (double) (n - 1) / (n - k);
  }

  static Covariance of(ModelSpec spec, Design design, Broadcast<DesignRows> rows, LeastSquares.Solve s, double ssr,
      Counts counts) {
    int kd = s.keptDummies();
    int q = s.qAll() - kd;
    double[][] bread = bread(s);
    SeType se = spec.se();
    long n = counts.n();
    long dfResid = counts.dfResid();
    if (se == SeType.CLASSICAL) {
      return new Covariance(Inference.scale(bread, ssr / dfResid), "classical",
          "s^2 (X'WX)^-1, s^2 = SSR/(N-K), K = " + (q + counts.dfAbsorbed()) + "; t(N-K)", dfResid);
    }
    Sandwich.Scores scores = scores(s);
    if (se == SeType.HC1) {
      double[][] meat = Sandwich.meat(design, rows, scores);
      return new Covariance(Inference.scale(Inference.sandwich(bread, meat), (double) n / dfResid), "HC1",
          "N/(N-K) sandwich, K = " + (q + counts.dfAbsorbed()) + "; t(N-K)", dfResid);
    }
    if (se == SeType.DRISCOLL_KRAAY) {
      return driscollKraay(spec, design, rows, scores, bread);
    }
    long kCluster = counts.kCluster(q);
    String kWords = "K = " + kCluster + " (regressors + fixed effects not nested in the cluster"
        + (spec.inference().cluster2() != null ? "s" : "") + (counts.anyNested() ? ", +1 for the absorbed constant"
        : "") + ")";
    if (spec.inference().cluster2() == null) {
      double[][] meat = Sandwich.meat(Sandwich.sums(design, rows, scores, Sandwich.Grouping.ofCluster())[0], q);
      long g = counts.clusters();
      double c = clusterFactor(g, n, kCluster);
      return new Covariance(Inference.scale(Inference.sandwich(bread, meat), c), "cluster:" + spec.cluster(),
          "G/(G-1)*(N-1)/(N-K) with G = " + g + ", " + kWords + "; as Stata xtreg/reghdfe and R fixest defaults; "
              + "t(G-1)", g - 1);
    }
    // Two-way (Cameron, Gelbach and Miller 2011): V = V_a + V_b - V_ab, one small-sample factor with the smaller G.
    // The three groupings' score sums in one pass.
    LevelTable[] by = Sandwich.sums(design, rows, scores, Sandwich.Grouping.ofCluster(), Sandwich.Grouping.ofExtra(0),
        Sandwich.Grouping.clusterAnd(0));
    long g1 = counts.clusters();
    long g2 = levelsWithRows(by[1], q);
    long gMin = Math.min(g1, g2);
    double[][] m = add(add(Sandwich.meat(by[0], q), Sandwich.meat(by[1], q), 1), Sandwich.meat(by[2], q), -1);
    double c = clusterFactor(gMin, n, kCluster);
    double[][] v = Inference.scale(Inference.sandwich(bread, m), c);
    boolean fixed = positiveSemidefinite(v);
    return new Covariance(v, "cluster:" + spec.cluster() + "+" + spec.inference().cluster2(),
        "two-way (Cameron-Gelbach-Miller) V_a + V_b - V_ab, each raw, times G_min/(G_min-1)*(N-1)/(N-K) with G = "
            + g1 + " and " + g2 + " (G_min = " + gMin + "), " + kWords + "; as R fixest ssc(cluster.df = \"min\")"
            + (fixed ? "; negative eigenvalues set to 0 (CGM 2011)" : "") + "; t(G_min-1)", gMin - 1);
  }

  /**
   * Driscoll-Kraay (1998): scores summed per time period h_t, meat {@code sum_{|l|<=L} (1 - |l|/(L+1)) sum_t h_t
   * h_{t-l}'} over the periods in the order of the time column's values (lag l: l positions apart), bread as
   * always; no small-sample factor, as R plm::vcovSCC(type = "HC0"); t(T-1) as Stata xtscc.
   */
  private static Covariance driscollKraay(ModelSpec spec, Design design, Broadcast<DesignRows> rows,
      Sandwich.Scores scores, double[][] bread) {
    int q = scores.q();
    LevelTable byTime = Sandwich.sums(design, rows, scores, Sandwich.Grouping.ofExtra(design.layout.time()))[0];
    Integer[] periods = new Integer[byTime.size()];
    int t = 0;
    for (int g = 0; g < byTime.size(); g++) {
      if (byTime.get(g, q) > 0) {
        periods[t++] = g;
      }
    }
    Integer[] order = Arrays.copyOf(periods, t);
    // Keys of an integer column are its values: the periods in time order.
    Arrays.sort(order, (a, b) -> Long.compare(byTime.index.key(a), byTime.index.key(b)));
    int periodsT = order.length;
    int lag = spec.inference().lag() != null ? spec.inference().lag() : defaultLag(periodsT);
    double[][] meat = new double[q][q];
    for (int l = 0; l <= Math.min(lag, periodsT - 1); l++) {
      double weight = 1 - (double) l / (lag + 1);
      for (int i = l; i < periodsT; i++) {
        int now = order[i] * byTime.width;
        int before = order[i - l] * byTime.width;
        for (int a = 0; a < q; a++) {
          for (int c = 0; c < q; c++) {
            double x = byTime.sums[now + a] * byTime.sums[before + c];
            meat[a][c] += l == 0 ? x : weight * x;
            if (l > 0) {
              meat[c][a] += weight * x;
            }
          }
        }
      }
    }
    return new Covariance(Inference.sandwich(bread, meat), "driscoll-kraay:" + spec.inference().timeColumn() + ":L="
        + lag, "Driscoll-Kraay: Bartlett weights 1 - l/(L+1), L = " + lag
        + (spec.inference().lag() == null ? " (floor(4*(T/100)^(2/9)), as Stata xtscc)" : "") + " over T = "
        + periodsT + " periods of " + spec.inference().timeColumn() + "; no small-sample factor (as R "
        + "plm::vcovSCC type HC0); t(T-1)", periodsT - 1);
  }

  /** Stata xtscc's default lag: {@code floor(4 (T/100)^(2/9))}. */
  static int defaultLag(int periods) {
    return (int) Math.floor(4 * Math.pow(periods / 100.0, 2.0 / 9.0));
  }

  /** The regressors' block of (Z'WZ)^-1 from the triangular factor. */
  static double[][] bread(LeastSquares.Solve s) {
    return Inference.inverseOfGram(s.r(), s.qAll(), s.keptDummies());
  }

  /** What the scores need from the solve: Gamma solves R_DD g = R_DX (the regressors on the dummy columns). */
  static Sandwich.Scores scores(LeastSquares.Solve s) {
    int kd = s.keptDummies();
    int q = s.qAll() - kd;
    int[] keep = s.keep().stream().mapToInt(Integer::intValue).toArray();
    double[][] gamma = new double[kd][q];
    for (int j = 0; j < q; j++) {
      for (int i = kd - 1; i >= 0; i--) {
        double sum = s.r()[i][kd + j];
        for (int l = i + 1; l < kd; l++) {
          sum -= s.r()[i][l] * gamma[l][j];
        }
        gamma[i][j] = sum / s.r()[i][i];
      }
    }
    return new Sandwich.Scores(keep, s.b(), kd, gamma);
  }

  static long levelsWithRows(LevelTable sums, int q) {
    long g = 0;
    for (int l = 0; l < sums.size(); l++) {
      if (sums.get(l, q) > 0) {
        g++;
      }
    }
    return g;
  }

  private static double[][] add(double[][] a, double[][] b, double sign) {
    double[][] out = new double[a.length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        out[i][j] = a[i][j] + sign * b[i][j];
      }
    }
    return out;
  }

  /**
   * Sets negative eigenvalues of {@code v} to zero in place (a two-way variance need not be positive semi-definite;
   * Cameron, Gelbach and Miller 2011, as fixest's {@code vcov_fix}); returns whether any was.
   */
  static boolean positiveSemidefinite(double[][] v) {
    EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(v));
    double[] values = eig.getRealEigenvalues();
    boolean negative = false;
    for (double x : values) {
      negative |= x < 0;
    }
    if (!negative) {
      return false;
    }
    double[] clipped = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      clipped[i] = Math.max(0, values[i]);
    }
    RealMatrix fixed = eig.getV().multiply(new org.apache.commons.math3.linear.DiagonalMatrix(clipped))
        .multiply(eig.getVT());
    for (int i = 0; i < v.length; i++) {
      v[i] = fixed.getRow(i);
    }
    return true;
  }
}
