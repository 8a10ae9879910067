package org.learningregions.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.learningregions.SparkTestSession;

/**
 * The Monte Carlo and Sobol analysis distributed over Spark equals the same design evaluated on the driver: rank
 * percentiles (linear interpolation between order statistics, as Spark's percentile and R's type 7) and the Sobol
 * indices; a region best on every indicator keeps rank 1 in every draw; without uncertain choices nothing moves.
 */
class UncertaintyAnalysisTest {
  private static final int REGIONS = 30;

  @Test
  void sparkDrawsEqualTheDesignEvaluatedOnTheDriver() {
    CompositeIndex index = synthetic();
    double[][] se = se();
    CompositeIndex.Choice nominal = new CompositeIndex.Choice(Normalisation.MIN_MAX, Weighting.EQUAL,
        Aggregation.ARITHMETIC, -1);
    UncertaintyAnalysis.Settings s = new UncertaintyAnalysis.Settings(200, 7, List.of(Normalisation.values()),
        List.of(Weighting.EQUAL, Weighting.PCA), List.of(Aggregation.values()), true, true);
    UncertaintyAnalysis.Result r = UncertaintyAnalysis.run(SparkTestSession.get(), index, se, nominal, s);

    int[] nominalRanks = CompositeIndex.ranks(index.score(nominal).index());
    UncertaintyAnalysis.Model m = new UncertaintyAnalysis.Model(index, se, nominal, nominalRanks, s);
    int k = s.factors().size();
    List<List<Integer>> ranks = new ArrayList<>();
    for (int i = 0; i < REGIONS; i++) {
      ranks.add(new ArrayList<>());
    }
    double[][] a = new double[s.draws()][];
    double[][] b = new double[s.draws()][];
    for (int j = 0; j < s.draws(); j++) {
      a[j] = UncertaintyAnalysis.row(s.seed(), j, false, k);
      b[j] = UncertaintyAnalysis.row(s.seed(), j, true, k);
      for (double[] u : List.of(a[j], b[j])) {
        int[] rk = CompositeIndex.ranks(UncertaintyAnalysis.scores(m, u));
        for (int i = 0; i < REGIONS; i++) {
          ranks.get(i).add(rk[i]);
        }
      }
    }
    assertEquals(REGIONS, r.ranks().size());
    for (UncertaintyAnalysis.RegionRanks rr : r.ranks()) {
      double[] sorted = ranks.get(rr.region()).stream().mapToDouble(Integer::doubleValue).sorted().toArray();
      assertEquals(quantile(sorted, 0.05), rr.p05(), 1e-9, "p05 of region " + rr.region());
      assertEquals(quantile(sorted, 0.5), rr.median(), 1e-9);
      assertEquals(quantile(sorted, 0.95), rr.p95(), 1e-9);
      assertEquals(nominalRanks[rr.region()], rr.nominal());
      assertTrue(rr.p05() <= rr.median() && rr.median() <= rr.p95());
    }
    // Region 0 is best on every indicator: first whatever the choices (the perturbation is far smaller than its lead).
    assertEquals(1, r.ranks().get(0).p95(), 0);

    Sobol.Indices driver = Sobol.estimate(u -> {
      int[] rk = CompositeIndex.ranks(UncertaintyAnalysis.scores(m, u));
      double sum = 0;
      for (int i = 0; i < REGIONS; i++) {
        sum += Math.abs(rk[i] - nominalRanks[i]);
      }
      return sum / REGIONS;
    }, a, b);
    assertArrayEquals(driver.first(), r.sensitivity().first(), 1e-12);
    assertArrayEquals(driver.total(), r.sensitivity().total(), 1e-12);
    assertTrue(r.sensitivity().variance() > 0);
    assertEquals(List.of("normalisation", "weighting", "aggregation", "indicator left out", "sampling error"),
        r.factors());
  }

  @Test
  void withoutUncertainChoicesNoRankMoves() {
    CompositeIndex index = synthetic();
    CompositeIndex.Choice nominal = new CompositeIndex.Choice(Normalisation.Z_SCORE, Weighting.EQUAL,
        Aggregation.ARITHMETIC, -1);
    UncertaintyAnalysis.Result r = UncertaintyAnalysis.run(SparkTestSession.get(), index, se(), nominal,
        new UncertaintyAnalysis.Settings(20, 1, List.of(Normalisation.Z_SCORE), List.of(Weighting.EQUAL),
            List.of(Aggregation.ARITHMETIC), false, false));
    for (UncertaintyAnalysis.RegionRanks rr : r.ranks()) {
      assertEquals(rr.nominal(), rr.p05(), 0);
      assertEquals(rr.nominal(), rr.p95(), 0);
    }
    assertEquals(0, r.sensitivity().variance(), 1e-12);
  }

  /** Four indicators in two pillars; region 0 leads on all; indicator 3 is survey-based (it has an SE). */
  private static CompositeIndex synthetic() {
    java.util.Random rnd = new java.util.Random(3);
    double[][] x = new double[REGIONS][4];
    for (int i = 0; i < REGIONS; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = i == 0 ? 100 : 10 + 20 * rnd.nextDouble() + (j % 2) * 5 * rnd.nextGaussian();
      }
    }
    x[5][2] = Double.NaN;
    return new CompositeIndex(x, new int[] {0, 0, 1, 1}, 2);
  }

  private static double[][] se() {
    double[][] se = new double[REGIONS][4];
    for (double[] row : se) {
      Arrays.fill(row, Double.NaN);
      row[3] = 1.5;
    }
    return se;
  }

  /** Linear interpolation between order statistics at (n - 1) q: R's type 7. */
  private static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
  }
}
