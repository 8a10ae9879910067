package org.learningregions.index;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A composite index of regions from oriented indicator values (higher is better; NaN missing) grouped in pillars,
 * built one way ({@link Choice}): each indicator normalised across the regions, indicators aggregated into pillar
 * scores with equal weights, pillar scores into the index with equal weights (EQUAL); or the indicators into the
 * index in one step with statistical weights (PCA); or each region's benefit-of-the-doubt score on min-max values.
 * Ranks: 1 for the highest score, ties sharing the best rank, 0 for a region without a score.
 *
 * @param values regions x indicators
 * @param pillarOf the pillar of each indicator, 0 to pillars - 1
 * @param pillars the number of pillars
 * @param pillarMeanImputation whether a missing normalised value takes the mean of the region's other normalised
 *     values in the same pillar ({@code index.imputation = pillar-mean}); otherwise it stays missing and the weights
 *     of what is present are rescaled
 */
public record CompositeIndex(double[][] values, int[] pillarOf, int pillars, boolean pillarMeanImputation)
    implements Serializable {

  /** An index without imputation. */
  public CompositeIndex(double[][] values, int[] pillarOf, int pillars) {
    this(values, pillarOf, pillars, false);
  }

  /**
   * One way of building the index.
   *
   * @param dropped an indicator left out (its index), or -1 for none
   */
  public record Choice(Normalisation normalisation, Weighting weighting, Aggregation aggregation, int dropped)
      implements Serializable {}

  /** The index and the pillar scores (regions x pillars) under one choice. */
  public record Scores(double[] index, double[][] pillars) {}

  public int regions() {
    return values.length;
  }

  public int indicators() {
    return pillarOf.length;
  }

  public Scores score(Choice c) {
    return score(c, values);
  }

  /** As {@link #score(Choice)} on other values of the same shape (a perturbed draw). */
  public Scores score(Choice c, double[][] x) {
    int n = x.length;
    int k = pillarOf.length;
    int[] pillar = pillarOf.clone();
    if (c.dropped() >= 0) {
      pillar[c.dropped()] = -1;
    }
    // A dropped indicator is missing everywhere: no weight, no part in any statistic.
    double[][] kept = new double[n][];
    for (int i = 0; i < n; i++) {
      kept[i] = x[i].clone();
      if (c.dropped() >= 0) {
        kept[i][c.dropped()] = Double.NaN;
      }
    }
    double[][] z = c.normalisation().columns(kept);
    if (pillarMeanImputation) {
      imputePillarMeans(z, pillar);
    }
    double[][] pillarScores = new double[n][pillars];
    for (int p = 0; p < pillars; p++) {
      double[] w = new double[k];
      for (int j = 0; j < k; j++) {
        w[j] = pillar[j] == p ? 1 : 0;
      }
      double[] s = c.aggregation().apply(z, w);
      for (int i = 0; i < n; i++) {
        pillarScores[i][p] = s[i];
      }
    }
    double[] index = switch (c.weighting()) {
      case EQUAL -> {
        double[] w = new double[pillars];
        for (int p = 0; p < pillars; p++) {
          final int q = p;
          w[p] = Arrays.stream(pillar).anyMatch(v -> v == q) ? 1 : 0;
        }
        yield c.aggregation().apply(pillarScores, w);
      }
      case PCA -> c.aggregation().apply(z, Weighting.pca(z, pillar));
      case BENEFIT_OF_THE_DOUBT -> {
        double[][] y = Normalisation.MIN_MAX.columns(kept);
        for (double[] row : y) {
          for (int j = 0; j < k; j++) {
            row[j] /= 100;
          }
        }
        // Its own min-max values, so the imputation is done again on them: a value left missing counts as 0.
        if (pillarMeanImputation) {
          imputePillarMeans(y, pillar);
        }
        double[] s = BenefitOfTheDoubt.scores(y, 0);
        for (int i = 0; i < n; i++) {
          s[i] *= 100;
        }
        yield s;
      }
    };
    return new Scores(index, pillarScores);
  }

  /**
   * Missing normalised values set, in place, to the mean of the region's present values in the same pillar (left
   * missing when the region has none there). With arithmetic aggregation within pillars this changes nothing; it
   * matters for geometric aggregation, statistical weights and benefit of the doubt, which would otherwise see fewer
   * indicators for that region.
   */
  static void imputePillarMeans(double[][] z, int[] pillar) {
    for (double[] row : z) {
      double[] sums = new double[pillar.length + 1];
      int[] counts = new int[pillar.length + 1];
      for (int j = 0; j < row.length; j++) {
        if (pillar[j] >= 0 && !Double.isNaN(row[j])) {
          sums[pillar[j]] += row[j];
          counts[pillar[j]]++;
        }
      }
      for (int j = 0; j < row.length; j++) {
        if (pillar[j] >= 0 && Double.isNaN(row[j]) && counts[pillar[j]] > 0) {
          row[j] = sums[pillar[j]] / counts[pillar[j]];
        }
      }
    }
  }

  /** Values the imputation fills for each region (0 without imputation): what the index flags. */
  public int[] imputedCounts() {
    int[] out = new int[values.length];
    if (!pillarMeanImputation) {
      return out;
    }
    for (int i = 0; i < values.length; i++) {
      for (int j = 0; j < pillarOf.length; j++) {
        if (Double.isNaN(values[i][j])) {
          for (int m = 0; m < pillarOf.length; m++) {
            if (m != j && pillarOf[m] == pillarOf[j] && !Double.isNaN(values[i][m])) {
              out[i]++;
              break;
            }
          }
        }
      }
    }
    return out;
  }

  /** 1 for the highest score, ties sharing the best rank, 0 without a score. O(n log n): run once per draw. */
  public static int[] ranks(double[] score) {
    int[] out = new int[score.length];
    Integer[] order = new Integer[score.length];
    int n = 0;
    for (int i = 0; i < score.length; i++) {
      if (!Double.isNaN(score[i])) {
        order[n++] = i;
      }
    }
    Arrays.sort(order, 0, n, (a, b) -> Double.compare(score[b], score[a]));
    for (int p = 0; p < n; p++) {
      int i = order[p];
      out[i] = p > 0 && score[order[p - 1]] == score[i] ? out[order[p - 1]] : p + 1;
    }
    return out;
  }

  /**
   * The coverage rule of the JRC audits, in order: indicators present for fewer than {@code minShare} of the regions
   * leave, then regions with fewer than {@code minShare} of the remaining indicators leave.
   *
   * @return {kept indicators, kept regions} as boolean masks
   */
  public static boolean[][] coverage(double[][] x, double minShare) {
    int n = x.length;
    int k = n == 0 ? 0 : x[0].length;
    boolean[] indicators = new boolean[k];
    int kept = 0;
    for (int j = 0; j < k; j++) {
      int present = 0;
      for (double[] row : x) {
        present += Double.isNaN(row[j]) ? 0 : 1;
      }
      indicators[j] = present >= minShare * n;
      kept += indicators[j] ? 1 : 0;
    }
    boolean[] regions = new boolean[n];
    for (int i = 0; i < n; i++) {
      int present = 0;
      for (int j = 0; j < k; j++) {
        present += indicators[j] && !Double.isNaN(x[i][j]) ? 1 : 0;
      }
      regions[i] = kept > 0 && present >= minShare * kept;
    }
    return new boolean[][] {indicators, regions};
  }
}
