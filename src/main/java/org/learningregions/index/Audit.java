package org.learningregions.index;

/**
 * The statistical coherence checks of an index (the JRC's audit practice): Pearson correlations between indicators
 * over the regions where both are present, and Cronbach's alpha of a pillar.
 */
public final class Audit {
  private Audit() {}

  /** Pairwise-complete Pearson correlations of the columns of {@code x} (rows: regions); NaN where undefined. */
  public static double[][] correlations(double[][] x) {
    int k = x[0].length;
    double[][] r = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = i; j < k; j++) {
        r[i][j] = i == j ? 1 : pearson(x, i, j);
        r[j][i] = r[i][j];
      }
    }
    return r;
  }

  static double pearson(double[][] x, int a, int b) {
    int n = 0;
    double sa = 0;
    double sb = 0;
    for (double[] row : x) {
      if (!Double.isNaN(row[a]) && !Double.isNaN(row[b])) {
        n++;
        sa += row[a];
        sb += row[b];
      }
    }
    if (n < 3) {
      return Double.NaN;
    }
    double ma = sa / n;
    double mb = sb / n;
    double cab = 0;
    double caa = 0;
    double cbb = 0;
    for (double[] row : x) {
      if (!Double.isNaN(row[a]) && !Double.isNaN(row[b])) {
        cab += (row[a] - ma) * (row[b] - mb);
        caa += (row[a] - ma) * (row[a] - ma);
        cbb += (row[b] - mb) * (row[b] - mb);
      }
    }
    return caa > 0 && cbb > 0 ? cab / Math.sqrt(caa * cbb) : Double.NaN;
  }

  /**
   * Cronbach's alpha of the columns {@code items} over the rows complete in all of them: k/(k-1) (1 - sum of item
   * variances / variance of the row sums); NaN with fewer than two items or three rows.
   */
  public static double cronbachAlpha(double[][] x, int[] items) {
    int k = items.length;
    if (k < 2) {
      return Double.NaN;
    }
    java.util.List<double[]> rows = new java.util.ArrayList<>();
    for (double[] row : x) {
      boolean complete = true;
      for (int i : items) {
        complete &= !Double.isNaN(row[i]);
      }
      if (complete) {
        rows.add(row);
      }
    }
    int n = rows.size();
    if (n < 3) {
      return Double.NaN;
    }
    double itemVariances = 0;
    for (int i : items) {
      double[] column = rows.stream().mapToDouble(r -> r[i]).toArray();
      itemVariances += variance(column);
    }
    double[] sums = rows.stream().mapToDouble(r -> {
      double s = 0;
      for (int i : items) {
        s += r[i];
      }
      return s;
    }).toArray();
    double total = variance(sums);
    return total > 0 ? k / (k - 1.0) * (1 - itemVariances / total) : Double.NaN;
  }

  private static double variance(double[] v) {
    double m = 0;
    for (double d : v) {
      m += d;
    }
    m /= v.length;
    double s = 0;
    for (double d : v) {
      s += (d - m) * (d - m);
    }
    return s / (v.length - 1);
  }
}
