package org.learningregions.index;

import java.util.Locale;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * How indicators are weighted. None of them uses productivity, the outcome the index may later be set against: an
 * index weighted by its link to productivity would make that link circular (docs/METHODS.md, "Learning index").
 */
public enum Weighting {
  /** Equal across pillars and, within a pillar, equal across its indicators: w_i = 1 / (P n_p(i)). */
  EQUAL,
  /**
   * Statistical weights: proportional to the squared loadings of the indicators on the first principal component of
   * their correlation matrix (pairwise complete), normalised to sum to one; the indicators that share most of the
   * common variation weigh most.
   */
  PCA,
  /** Benefit of the doubt: each region its own best weights ({@link BenefitOfTheDoubt}); no fixed weights. */
  BENEFIT_OF_THE_DOUBT;

  public static Weighting parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "equal" -> EQUAL;
      case "pca" -> PCA;
      case "benefit-of-the-doubt", "bod" -> BENEFIT_OF_THE_DOUBT;
      default -> throw new IllegalArgumentException("unknown weighting '" + s + "' (equal, pca, benefit-of-the-doubt)");
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Equal weights over pillars, then over each pillar's indicators; a dropped indicator (pillar -1) weighs 0. */
  static double[] equal(int[] pillarOf) {
    int pillars = 0;
    for (int p : pillarOf) {
      pillars = Math.max(pillars, p + 1);
    }
    int[] size = new int[pillars];
    for (int p : pillarOf) {
      if (p >= 0) {
        size[p]++;
      }
    }
    int present = 0;
    for (int s : size) {
      present += s > 0 ? 1 : 0;
    }
    double[] w = new double[pillarOf.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = pillarOf[i] < 0 ? 0 : 1.0 / (present * size[pillarOf[i]]);
    }
    return w;
  }

  /** Squared first-component loadings of the correlation matrix of the columns of {@code x}; dropped columns 0. */
  static double[] pca(double[][] x, int[] pillarOf) {
    double[][] r = Audit.correlations(x);
    int k = r.length;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        if (pillarOf[i] < 0 || pillarOf[j] < 0) {
          r[i][j] = i == j ? 1 : 0;
        }
      }
    }
    EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(r));
    int first = 0;
    for (int i = 1; i < k; i++) {
      if (e.getRealEigenvalue(i) > e.getRealEigenvalue(first)) {
        first = i;
      }
    }
    RealVector v = e.getEigenvector(first);
    double[] w = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      w[i] = pillarOf[i] < 0 ? 0 : v.getEntry(i) * v.getEntry(i);
      sum += w[i];
    }
    for (int i = 0; i < k; i++) {
      w[i] = sum > 0 ? w[i] / sum : 0;
    }
    return w;
  }
}
