package org.learningregions.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * From coefficients and their covariance to what is reported: the intercept of a centred pooled model back in the
 * original parametrisation, then standard errors, t, two-sided p and 95% intervals from a t distribution with the
 * convention's degrees of freedom. Also the small dense algebra the fitter needs (triangular inverse, sandwich).
 */
final class Inference {
  private Inference() {}

  /**
   * Coefficients of the reported terms.
   *
   * @param names term names in order
   * @param b estimates (the intercept, if any, first and still in centred form)
   * @param vcov their covariance
   * @param centred when the first term is the intercept of a model fitted on centred columns
   * @param meanY weighted mean of the response (centred models)
   * @param meanX weighted mean of each reported regressor after the intercept (centred models)
   */
  static List<Coefficient> coefficients(List<String> names, double[] b, double[][] vcov, boolean centred,
      double meanY, double[] meanX, String seType, String convention, double df) {
    int q = b.length;
    double[] est = b.clone();
    double[][] v = vcov;
    if (centred) {
      // Back to the original parametrisation: intercept = a - xbar'b, V' = T V T' with T = [[1, -xbar'], [0, I]].
      double[] t = new double[q];
      t[0] = 1;
      for (int i = 1; i < q; i++) {
        t[i] = -meanX[i - 1];
      }
      double a = meanY + est[0];
      for (int i = 1; i < q; i++) {
        a += t[i] * est[i];
      }
      est[0] = a;
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
      v = new double[q][q];
      for (int i = 0; i < q; i++) {
        double s = 0;
        for (int l = 0; l < q; l++) {
          s += tv[i][l] * t[l];
        }
        v[i][0] = s;
        for (int j = 1; j < q; j++) {
          v[i][j] = tv[i][j];
        }
      }
    }
    TDistribution dist = new TDistribution(df);
    double crit = dist.inverseCumulativeProbability(0.975);
    List<Coefficient> out = new ArrayList<>();
    for (int i = 0; i < q; i++) {
      double se = Math.sqrt(v[i][i]);
      double tv = est[i] / se;
      double p = 2 * (1 - dist.cumulativeProbability(Math.abs(tv)));
      out.add(new Coefficient(names.get(i), est[i], se, tv, p, est[i] - crit * se, est[i] + crit * se, seType,
          convention, df));
    }
    return out;
  }

  /** The inverse of the upper-triangular leading {@code q x q} block of {@code r}. */
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

  /**
   * The trailing block, from column {@code from} on, of {@code (R'R)^-1 = R^-1 R^-T} for the upper-triangular leading
   * {@code q x q} block of {@code r} (the inverse of Z'WZ from the QR factor, without forming Z'WZ).
   */
  static double[][] inverseOfGram(double[][] r, int q, int from) {
    double[][] rInv = upperInverse(r, q);
    int m = q - from;
    double[][] out = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        double sum = 0;
        for (int l = from + Math.max(i, j); l < q; l++) {
          sum += rInv[from + i][l] * rInv[from + j][l];
        }
        out[i][j] = sum;
      }
    }
    return out;
  }

  static double[][] sandwich(double[][] bread, double[][] meat) {
    return multiply(multiply(bread, meat), bread);
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] out = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
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
