package org.learningregions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The "fast and wild" algebra of {@link WildBootstrap#test} (five numbers per draw, p(r) linear-quadratic in r)
 * against the same bootstrap formed vector by vector per draw ({@link WildBootstrap#pValueDirect}), for sampled
 * Rademacher and Webb weights and several null values; and the interval's ends where p crosses 5%.
 */
@Tag("fast")
class WildBootstrapAlgebraTest {

  /** Per-cluster cross-products of a random design with 12 clusters and 4 columns. */
  static WildBootstrap random(long seed, BootstrapSpec.Weights weights, int draws) {
    Random r = new Random(seed);
    int g = 12;
    int p = 4;
    double[][][] a = new double[g][p][p];
    double[][] c = new double[g][p];
    double[][] total = new double[p][p];
    double[] beta0 = {0.3, -1, 2, 0.5};
    for (int h = 0; h < g; h++) {
      double shock = r.nextGaussian();
      for (int i = 0; i < 5 + r.nextInt(6); i++) {
        double[] z = new double[p];
        z[0] = 1;
        for (int k = 1; k < p; k++) {
          z[k] = r.nextGaussian() + 0.3 * shock;
        }
        double y = shock;
        for (int k = 0; k < p; k++) {
          y += beta0[k] * z[k];
        }
        y += r.nextGaussian();
        double w = 0.5 + r.nextDouble();
        for (int k = 0; k < p; k++) {
          for (int l = 0; l < p; l++) {
            a[h][k][l] += w * z[k] * z[l];
            total[k][l] += w * z[k] * z[l];
          }
          c[h][k] += w * z[k] * y;
        }
      }
    }
    RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(total)).getSolver().getInverse();
    double[] sumC = new double[p];
    for (double[] ch : c) {
      for (int k = 0; k < p; k++) {
        sumC[k] += ch[k];
      }
    }
    double[] beta = inv.operate(sumC);
    WildBootstrap.Draws d = WildBootstrap.draws(new BootstrapSpec(draws, weights, seed), g);
    return new WildBootstrap(a, c, inv.getData(), beta, 1.1, d.weights(), d.how());
  }

  @Test
  void fastAlgebraEqualsTheDrawByDrawBootstrap() {
    for (BootstrapSpec.Weights weights : BootstrapSpec.Weights.values()) {
      WildBootstrap wb = random(3, weights, 999);
      for (int j = 1; j < 4; j++) {
        WcrPValue t = wb.test(j);
        for (double r : new double[] {0, t.estimate, t.estimate + t.se, t.estimate - 2.5 * t.se, 1.7}) {
          assertEquals(wb.pValueDirect(j, r), t.pValue(r), 1e-12, weights + " j=" + j + " r=" + r);
        }
        assertEquals(1.0, t.pValue(t.estimate), 1e-12, "at the estimate every draw is as extreme");
      }
    }
  }

  @Test
  void intervalEndsAreWhereThePValueCrossesFivePercent() {
    WildBootstrap wb = random(9, BootstrapSpec.Weights.WEBB, 1999);
    WcrPValue t = wb.test(2);
    double[] ci = t.interval(0.05);
    assertTrue(ci[0] < t.estimate && t.estimate < ci[1]);
    double eps = 1e-5 * t.se;
    assertTrue(wb.pValueDirect(2, ci[0] + eps) >= 0.05 && wb.pValueDirect(2, ci[0] - eps) < 0.05);
    assertTrue(wb.pValueDirect(2, ci[1] - eps) >= 0.05 && wb.pValueDirect(2, ci[1] + eps) < 0.05);
  }

  @Test
  void rademacherIsEnumeratedWhenTwoToTheGFitsInTheDraws() {
    WildBootstrap.Draws d = WildBootstrap.draws(new BootstrapSpec(9999, BootstrapSpec.Weights.RADEMACHER, 1), 13);
    assertEquals("wcr:rademacher:enumerated:8192", d.how());
    assertEquals(8192, d.weights().length);
    WildBootstrap.Draws s = WildBootstrap.draws(new BootstrapSpec(9999, BootstrapSpec.Weights.RADEMACHER, 1), 14);
    assertEquals("wcr:rademacher:sampled:9999:seed=1", s.how());
  }
}
