package org.learningregions.index;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an indicator's values across regions are put on one scale before aggregation (Nardo et al. 2008, section 5).
 * Values are oriented first (an indicator where lower is better is negated), so a higher normalised value is always
 * better. Missing values (NaN) stay missing and take no part in the statistics.
 */
public enum Normalisation {
  /** (x - min) / (max - min) x 100: 0 for the worst region, 100 for the best; all equal: 50. */
  MIN_MAX,
  /** (x - mean) / sd, sd with n - 1; all equal: 0. */
  Z_SCORE,
  /** The rank among the regions with a value, 1 for the lowest, ties sharing their mean rank. */
  RANK;

  public static Normalisation parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "min-max", "minmax" -> MIN_MAX;
      case "z-score", "z", "zscore" -> Z_SCORE;
      case "rank" -> RANK;
      default -> throw new IllegalArgumentException("unknown normalisation '" + s + "' (min-max, z-score, rank)");
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Each column of {@code x} (rows: regions) normalised on its own; {@code x} is not changed. */
  public double[][] columns(double[][] x) {
    int n = x.length;
    int k = n == 0 ? 0 : x[0].length;
    double[][] out = new double[n][k];
    double[] column = new double[n];
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < n; i++) {
        column[i] = x[i][j];
      }
      double[] normalised = apply(column);
      for (int i = 0; i < n; i++) {
        out[i][j] = normalised[i];
      }
    }
    return out;
  }

  /** The normalised values of {@code x} (not changed). */
  public double[] apply(double[] x) {
    double[] out = new double[x.length];
    Arrays.fill(out, Double.NaN);
    int n = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        n++;
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
    }
    if (n == 0) {
      return out;
    }
    switch (this) {
      case MIN_MAX -> {
        for (int i = 0; i < x.length; i++) {
          if (!Double.isNaN(x[i])) {
            out[i] = max > min ? (x[i] - min) / (max - min) * 100 : 50;
          }
        }
      }
      case Z_SCORE -> {
        double mean = sum / n;
        double ss = 0;
        for (double v : x) {
          if (!Double.isNaN(v)) {
            ss += (v - mean) * (v - mean);
          }
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        for (int i = 0; i < x.length; i++) {
          if (!Double.isNaN(x[i])) {
            out[i] = sd > 0 ? (x[i] - mean) / sd : 0;
          }
        }
      }
      case RANK -> {
        // Sorted once: ties share the mean of the ranks they span.
        Integer[] order = new Integer[n];
        int m = 0;
        for (int i = 0; i < x.length; i++) {
          if (!Double.isNaN(x[i])) {
            order[m++] = i;
          }
        }
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        for (int p = 0; p < n; ) {
          int q = p;
          while (q + 1 < n && x[order[q + 1]] == x[order[p]]) {
            q++;
          }
          for (int t = p; t <= q; t++) {
            out[order[t]] = (p + q) / 2.0 + 1;
          }
          p = q + 1;
        }
      }
      default -> throw new IllegalStateException();
    }
    return out;
  }
}
