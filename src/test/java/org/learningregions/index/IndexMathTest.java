package org.learningregions.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The learning index's building blocks against values computed by hand (in the comments), and the Sobol estimators
 * against the analytic indices of the Ishigami function.
 */
@Tag("fast")
class IndexMathTest {
  private static final double NA = Double.NaN;

  @Test
  void normalisationsAsComputedByHand() {
    double[] x = {2, 4, NA, 10};
    assertArrayEquals(new double[] {0, 25, NA, 100}, Normalisation.MIN_MAX.apply(x), 1e-12);
    // mean 16/3, sd sqrt(34.6667 / 2) = 4.16333
    assertArrayEquals(new double[] {-0.800641, -0.320256, NA, 1.120897}, Normalisation.Z_SCORE.apply(x), 1e-6);
    assertArrayEquals(new double[] {2.5, 1, 2.5, NA}, Normalisation.RANK.apply(new double[] {3, 1, 3, NA}), 0);
    assertArrayEquals(new double[] {50, 50}, Normalisation.MIN_MAX.apply(new double[] {7, 7}), 0);
  }

  @Test
  void aggregationsAsComputedByHand() {
    double[][] v = {{50, 100}, {NA, 20}};
    double[] w = {0.25, 0.75};
    // 0.25 x 50 + 0.75 x 100; the second region has only its second value, whose weight rescales to 1.
    assertArrayEquals(new double[] {87.5, 20}, Aggregation.ARITHMETIC.apply(v, w), 1e-12);
    // Columns rescaled to [1, 100] (a constant column to 50.5): 50.5^0.25 x 100^0.75 = 2.665757 x 31.622777
    // = 84.2991; 1^1 = 1.
    assertArrayEquals(new double[] {84.2991, 1}, Aggregation.GEOMETRIC.apply(v, w), 1e-4);
  }

  @Test
  void equalWeightsSplitEachPillarsShareAmongItsIndicators() {
    assertArrayEquals(new double[] {0.25, 0.25, 0.5}, Weighting.equal(new int[] {0, 0, 1}), 1e-12);
    assertArrayEquals(new double[] {0, 0.5, 0.5}, Weighting.equal(new int[] {-1, 0, 1}), 1e-12);
  }

  @Test
  void pcaWeightsFavourIndicatorsThatMoveTogether() {
    double[][] x = new double[50][3];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 50; i++) {
      double common = r.nextGaussian();
      x[i] = new double[] {common + 0.01 * r.nextGaussian(), common + 0.01 * r.nextGaussian(), r.nextGaussian()};
    }
    double[] w = Weighting.pca(x, new int[] {0, 0, 1});
    assertEquals(1, w[0] + w[1] + w[2], 1e-12);
    assertTrue(w[0] > 0.45 && w[1] > 0.45 && w[2] < 0.1, java.util.Arrays.toString(w));
  }

  @Test
  void benefitOfTheDoubtSolvesTheLinearProgrammeWorkedByHand() {
    double[][] y = {{1, 0.2}, {0.5, 1}, {0.6, 0.6}};
    // Region 3: max 0.6 w1 + 0.6 w2 s.t. w1 + 0.2 w2 <= 1, 0.5 w1 + w2 <= 1, 0.6 w1 + 0.6 w2 <= 1, w >= 0. The first
    // two bind: w = (8/9, 5/9), score 0.6 x 13/9 = 13/15.
    double[] s = BenefitOfTheDoubt.solve(y, 2, 0);
    assertEquals(8.0 / 9, s[0], 1e-9);
    assertEquals(5.0 / 9, s[1], 1e-9);
    assertEquals(13.0 / 15, s[2], 1e-9);
    assertArrayEquals(new double[] {1, 1, 13.0 / 15}, BenefitOfTheDoubt.scores(y, 0), 1e-9);
  }

  @Test
  void cronbachsAlphaAsComputedByHand() {
    double[][] x = {{1, 2}, {2, 2}, {3, 4}, {4, 4}, {NA, 1}};
    // Complete rows only: item variances 5/3 and 4/3, variance of the sums (3, 4, 7, 8) 17/3: 2 (1 - 3 / (17/3)).
    assertEquals(2 * (1 - 3 / (17.0 / 3)), Audit.cronbachAlpha(x, new int[] {0, 1}), 1e-12);
    assertEquals(1, Audit.correlations(x)[0][0], 0);
  }

  @Test
  void ranksAndTheCoverageRule() {
    assertArrayEquals(new int[] {2, 1, 2, 0, 4}, CompositeIndex.ranks(new double[] {5, 9, 5, NA, 1}));
    double[][] x = {{1, NA, 3}, {1, NA, NA}, {1, 2, 3}, {1, NA, 3}};
    boolean[][] kept = CompositeIndex.coverage(x, 0.65);
    // Indicator 2 is in 1 of 4 regions (< 65%): out. Of the other two, region 2 has 1 (50% < 65%): out.
    assertArrayEquals(new boolean[] {true, false, true}, kept[0]);
    assertArrayEquals(new boolean[] {true, false, true, true}, kept[1]);
  }

  @Test
  void equalWeightsTwoLevelsByHand() {
    CompositeIndex index = new CompositeIndex(new double[][] {{0, 10, 5}, {10, 0, 0}, {5, 5, 10}}, new int[] {0, 0, 1},
        2);
    // Min-max: (0, 100, 50), (100, 0, 0), (50, 50, 100); pillar 0 = means of the first two: 50, 50, 50;
    // the index = mean of the pillars: 50, 25, 75.
    CompositeIndex.Scores s = index.score(new CompositeIndex.Choice(Normalisation.MIN_MAX, Weighting.EQUAL,
        Aggregation.ARITHMETIC, -1));
    assertArrayEquals(new double[] {50, 25, 75}, s.index(), 1e-12);
    // Without the third indicator, pillar 1 is empty and the index is pillar 0.
    assertArrayEquals(new double[] {50, 50, 50}, index.score(new CompositeIndex.Choice(Normalisation.MIN_MAX,
        Weighting.EQUAL, Aggregation.ARITHMETIC, 2)).index(), 1e-12);
  }

  /** Ishigami, a = 7, b = 0.1, inputs uniform on [-pi, pi]: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437). */
  @Test
  void sobolEstimatorsReproduceTheIshigamiIndices() {
    double a = 7;
    double b = 0.1;
    Sobol.Model ishigami = u -> {
      double x1 = Math.PI * (2 * u[0] - 1);
      double x2 = Math.PI * (2 * u[1] - 1);
      double x3 = Math.PI * (2 * u[2] - 1);
      return Math.sin(x1) + a * Math.sin(x2) * Math.sin(x2) + b * Math.pow(x3, 4) * Math.sin(x1);
    };
    double pi4 = Math.pow(Math.PI, 4);
    double v1 = 0.5 * Math.pow(1 + b * pi4 / 5, 2);
    double v2 = a * a / 8;
    double v13 = b * b * Math.pow(Math.PI, 8) * (1.0 / 18 - 1.0 / 50);
    double v = v1 + v2 + v13;
    Sobol.Indices s = Sobol.estimate(ishigami, Sobol.uniform(50_000, 3, 1), Sobol.uniform(50_000, 3, 2));
    assertEquals(v, s.variance(), 0.03 * v);
    assertArrayEquals(new double[] {v1 / v, v2 / v, 0}, s.first(), 0.02);
    assertArrayEquals(new double[] {(v1 + v13) / v, v2 / v, v13 / v}, s.total(), 0.02);
    assertEquals(0.314, v1 / v, 0.001);
    assertEquals(0.558, (v1 + v13) / v, 0.001);
  }

  @Test
  void winsorisingMovesTheOutlierToItsNeighbourUntilTheJrcThresholdsHold() {
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100, Double.NaN};
    // By hand: mean 14.5; central moments over the ten values present give g1 = 2.63 and g2 = 5.00 (both beyond
    // 2 and 3.5), so 100 becomes 9; then g1 = -0.13: done.
    double[] before = handMoments(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 100});
    assertEquals(2.63, before[0], 0.005);
    assertEquals(5.00, before[1], 0.005);
    Outliers.Treated t = Outliers.winsorise(x, 2, 3.5, 5);
    assertEquals(1, t.changed());
    assertEquals(9.0, t.values()[9], 0.0);
    assertTrue(Double.isNaN(t.values()[10]), "missing stays missing");
    assertEquals(before[0], t.skewBefore(), 1e-12);
    double[] after = handMoments(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 9});
    assertEquals(after[0], t.skewAfter(), 1e-12);
    assertEquals(after[1], t.kurtosisAfter(), 1e-12);
    // Skewed but not heavy-tailed enough: left alone. A heavy left tail moves the lowest value up.
    assertEquals(0, Outliers.winsorise(new double[] {1, 1, 1, 2, 2, 3, 5, 8}, 2, 3.5, 5).changed());
    Outliers.Treated left = Outliers.winsorise(new double[] {-100, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 2, 3.5, 5);
    assertEquals(1, left.changed());
    assertEquals(1.0, left.values()[0], 0.0);
    // The cap: at most maxPoints values change, and the audit says when the thresholds still fail.
    double[] tail = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50, 100, 200, 400, 800};
    Outliers.Treated capped = Outliers.winsorise(tail, 2, 3.5, 1);
    assertEquals(1, capped.changed());
    assertEquals(400.0, capped.values()[24], 0.0);
    assertTrue(capped.stillOutlying(2, 3.5));
  }

  /** Skewness g1 and excess kurtosis g2 from their definitions. */
  private static double[] handMoments(double[] v) {
    double mean = java.util.Arrays.stream(v).average().orElseThrow();
    double m2 = java.util.Arrays.stream(v).map(a -> Math.pow(a - mean, 2)).average().orElseThrow();
    double m3 = java.util.Arrays.stream(v).map(a -> Math.pow(a - mean, 3)).average().orElseThrow();
    double m4 = java.util.Arrays.stream(v).map(a -> Math.pow(a - mean, 4)).average().orElseThrow();
    return new double[] {m3 / Math.pow(m2, 1.5), m4 / (m2 * m2) - 3};
  }

  @Test
  void pillarMeanImputationFillsAMissingValueFromTheRegionsOwnPillar() {
    // Normalised values of two regions; indicators 0 and 1 form pillar 0, indicator 2 pillar 1.
    double[][] z = {{40, Double.NaN, 70}, {Double.NaN, Double.NaN, 20}};
    CompositeIndex.imputePillarMeans(z, new int[] {0, 0, 1});
    assertEquals(40.0, z[0][1], 0.0);
    assertTrue(Double.isNaN(z[1][0]) && Double.isNaN(z[1][1]), "nothing in the pillar: stays missing");
    // A dropped indicator (-1) neither gives nor takes a value.
    double[][] w = {{10, Double.NaN, 30}};
    CompositeIndex.imputePillarMeans(w, new int[] {-1, 0, 0});
    assertEquals(30.0, w[0][1], 0.0);
    // Equal weights, arithmetic within pillars: the same index with or without; statistical weights over all
    // indicators: not the same (the filled value enters the correlations and the weighted mean).
    double[][] x = {{1, 5, 3}, {2, Double.NaN, 9}, {4, 1, 6}, {3, 2, 1}};
    int[] pillars = {0, 0, 1};
    CompositeIndex none = new CompositeIndex(x, pillars, 2);
    CompositeIndex imputed = new CompositeIndex(x, pillars, 2, true);
    CompositeIndex.Choice arithmetic = new CompositeIndex.Choice(Normalisation.MIN_MAX, Weighting.EQUAL,
        Aggregation.ARITHMETIC, -1);
    assertArrayEquals(none.score(arithmetic).index(), imputed.score(arithmetic).index(), 1e-12);
    CompositeIndex.Choice pca = new CompositeIndex.Choice(Normalisation.MIN_MAX, Weighting.PCA,
        Aggregation.ARITHMETIC, -1);
    assertTrue(Math.abs(none.score(pca).index()[1] - imputed.score(pca).index()[1]) > 1e-6);
    assertArrayEquals(new int[] {0, 1, 0, 0}, imputed.imputedCounts());
    assertArrayEquals(new int[] {0, 0, 0, 0}, none.imputedCounts());
  }

  @Test
  void pillarMeanImputationReachesBenefitOfTheDoubt() {
    double[][] x = {{1, 5, 3}, {2, Double.NaN, 2}, {4, 1, 6}, {3, 2, 1}};
    int[] pillars = {0, 0, 1};
    CompositeIndex.Choice bod = new CompositeIndex.Choice(Normalisation.MIN_MAX, Weighting.BENEFIT_OF_THE_DOUBT,
        Aggregation.ARITHMETIC, -1);
    // Min-max by hand, region 1's missing indicator 1 filled with its pillar's other value (1/3).
    double[][] y = {{0, 1, 0.4}, {1.0 / 3, 1.0 / 3, 0.2}, {1, 0, 1}, {2.0 / 3, 0.25, 0}};
    double[] want = BenefitOfTheDoubt.scores(y, 0);
    double[] got = new CompositeIndex(x, pillars, 2, true).score(bod).index();
    for (int i = 0; i < want.length; i++) {
      assertEquals(100 * want[i], got[i], 1e-7);
    }
    // Solved by hand: weights 1 on indicators 0 and 1 (regions 0's and 2's constraints bind at 1) give 2/3; without the
    // imputation the missing value counts as 0 and region 1 reaches only indicator 0's 1/3.
    assertEquals(200.0 / 3, got[1], 1e-7);
    assertEquals(100.0 / 3, new CompositeIndex(x, pillars, 2).score(bod).index()[1], 1e-7);
  }
}
