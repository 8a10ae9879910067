package org.learningregions.model;

import org.apache.spark.broadcast.Broadcast;

/**
 * The coefficients' covariance under the spec's convention ({@link SeType}): classical from the factor alone, HC1 and
 * cluster-robust as a sandwich whose meat {@link Sandwich} sums in one pass, with the small-sample corrections named
 * where they are stored. Only the regressors' block is formed: by Frisch-Waugh-Lovell it is the sandwich of the
 * regressors residualised on the dummy columns, with the regressors' block of (Z'WZ)^-1 as bread.
 */
final class Covariances {
  private Covariances() {}

  /** A covariance with its convention and the t degrees of freedom. */
  record Covariance(double[][] vcov, String seType, String convention, double df) {}

  /**
   * @param n observations
   * @param clusters clusters (cluster SE)
   * @param nestedLevels levels of the absorbed effects nested in the cluster (not counted in K)
   * @param anyNested whether any effect is nested in the cluster (+1 for the absorbed constant)
   */
  static Covariance of(ModelSpec spec, Design design, Broadcast<DesignRows> rows, LeastSquares.Solve s, double ssr,
      long n, long dfAbsorbed, long dfResid, long clusters, long nestedLevels, boolean anyNested) {
    int kd = s.keptDummies();
    int q = s.qAll() - kd;
    double[][] rInv = Inference.upperInverse(s.r(), s.qAll());
    double[][] bread = new double[q][q];
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < q; j++) {
        double sum = 0;
        for (int l = kd + Math.max(i, j); l < s.qAll(); l++) {
          sum += rInv[kd + i][l] * rInv[kd + j][l];
        }
        bread[i][j] = sum;
      }
    }
    SeType se = spec.se();
    if (se == SeType.CLASSICAL) {
      return new Covariance(Inference.scale(bread, ssr / dfResid), "classical",
          "s^2 (X'WX)^-1, s^2 = SSR/(N-K), K = " + (q + dfAbsorbed) + "; t(N-K)", dfResid);
    }
    int[] keep = s.keep().stream().mapToInt(Integer::intValue).toArray();
    double[][] gamma = new double[kd][q];
    for (int j = 0; j < q; j++) {
      // Gamma[., j] solves R_DD g = R_DX[., j] (upper triangular).
      for (int i = kd - 1; i >= 0; i--) {
        double sum = s.r()[i][kd + j];
        for (int l = i + 1; l < kd; l++) {
          sum -= s.r()[i][l] * gamma[l][j];
        }
        gamma[i][j] = sum / s.r()[i][i];
      }
    }
    double[][] meat = Sandwich.meat(design, rows, new Sandwich.Scores(keep, s.b(), kd, gamma), se == SeType.CLUSTER);
    if (se == SeType.HC1) {
      return new Covariance(Inference.scale(Inference.sandwich(bread, meat), (double) n / dfResid), "HC1",
          "N/(N-K) sandwich, K = " + (q + dfAbsorbed) + "; t(N-K)", dfResid);
    }
    long kCluster = q + dfAbsorbed - nestedLevels + (anyNested ? 1 : 0);
    double c = (double) clusters / (clusters - 1) * (double) (n - 1) / (n - kCluster);
    return new Covariance(Inference.scale(Inference.sandwich(bread, meat), c), "cluster:" + spec.cluster(),
        "G/(G-1)*(N-1)/(N-K) with G = " + clusters + ", K = " + kCluster + " (regressors + fixed effects not nested in "
            + "the cluster" + (anyNested ? ", +1 for the absorbed constant" : "")
            + "; as Stata xtreg/reghdfe and R fixest defaults); t(G-1)", clusters - 1);
  }
}
