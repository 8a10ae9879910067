package org.learningregions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.learningregions.LearningRegionsException;
import org.learningregions.SparkTestSession;

/**
 * Driscoll-Kraay SE against R plm::vcovSCC(type = "HC0") on Grunfeld and Produc; two-way clustered SE against the
 * sum of one-way variances (R sandwich and this fitter's own one-way path); the wild cluster restricted bootstrap
 * against a refit-every-draw implementation written here (explicit dummies, every Rademacher sign vector).
 * References: src/test/resources/reference/panel-se (reference.R made them).
 */
class PanelInferenceTest {
  static final LinearModelFitter DUMMIES = LinearModelFitterTest.DUMMIES;
  static final LinearModelFitter ABSORB = LinearModelFitterTest.FITTER;

  /** case -> term -> {estimate, std_error}. */
  static Map<String, Map<String, double[]>> reference() throws Exception {
    Map<String, Map<String, double[]>> out = new HashMap<>();
    List<String> lines = Files.readAllLines(SparkTestSession.resource("reference/panel-se/reference_se.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      out.computeIfAbsent(c[0], k -> new HashMap<>()).put(c[1],
          new double[] {Double.parseDouble(c[2]), Double.parseDouble(c[3])});
    }
    return out;
  }

  static Dataset<Row> csv(String name) {
    return SparkTestSession.get().read().option("header", "true").option("inferSchema", "true")
        .csv(SparkTestSession.resource("reference/panel-se/" + name).toString());
  }

  static ModelSpec dk(String formula, List<String> fe, Integer lag) {
    return new ModelSpec("dk", "", "test", formula, fe, null, SeType.DRISCOLL_KRAAY, null, null, true,
        EstimatorSpec.OLS, new InferenceSpec(null, "year", lag, null));
  }

  static void assertSe(FitResult f, Map<String, double[]> want, String label) {
    for (Map.Entry<String, double[]> e : want.entrySet()) {
      Coefficient c = f.coefficient(e.getKey());
      assertTrue(LinearModelFitterTest.relErr(c.estimate(), e.getValue()[0]) < 1e-9, label + " " + e.getKey()
          + " estimate " + c.estimate() + " vs " + e.getValue()[0]);
      assertTrue(LinearModelFitterTest.relErr(c.stdError(), e.getValue()[1]) < 1e-6, label + " " + e.getKey()
          + " SE " + c.stdError() + " vs plm " + e.getValue()[1]);
    }
  }

  @Test
  void driscollKraayEqualsPlmVcovSccOnGrunfeldAndProduc() throws Exception {
    Map<String, Map<String, double[]>> ref = reference();
    Dataset<Row> grunfeld = csv("grunfeld.csv");
    for (int lag = 0; lag <= 4; lag++) {
      FitResult f = DUMMIES.fit(grunfeld, dk("inv ~ value + capital", List.of("firm"), lag));
      assertSe(f, ref.get("grunfeld_dk_L" + lag), "Grunfeld L=" + lag);
      assertEquals("driscoll-kraay:year:L=" + lag, f.coefficient("value").seType());
      assertEquals(19, f.coefficient("value").df(), "t(T-1)");
    }
    // Default lag floor(4 (20/100)^(2/9)) = 2, which for T = 20 is also plm's default floor(T^(1/4)).
    FitResult byDefault = DUMMIES.fit(grunfeld, dk("inv ~ value + capital", List.of("firm"), null));
    assertSe(byDefault, ref.get("grunfeld_dk_default"), "Grunfeld default lag");
    assertEquals("driscoll-kraay:year:L=2", byDefault.coefficient("value").seType());
    // Two-way: year effects as dummy columns (exact FWL) and by alternating projections.
    assertSe(DUMMIES.fit(grunfeld, dk("inv ~ value + capital", List.of("firm", "year"), 2)),
        ref.get("grunfeld_tw_dk_L2"), "Grunfeld two-way, dummies");
    assertSe(ABSORB.fit(grunfeld, dk("inv ~ value + capital", List.of("firm", "year"), 2)),
        ref.get("grunfeld_tw_dk_L2"), "Grunfeld two-way, absorbed");

    Dataset<Row> produc = csv("produc.csv");
    String formula = "log_gsp ~ log_pcap + log_pc + log_emp + unemp";
    for (int lag : new int[] {0, 2, 4}) {
      assertSe(DUMMIES.fit(produc, dk(formula, List.of("state"), lag)), ref.get("produc_dk_L" + lag),
          "Produc L=" + lag);
    }
    assertSe(DUMMIES.fit(produc, dk(formula, List.of("state", "year"), 3)), ref.get("produc_tw_dk_L3"),
        "Produc two-way");
  }

  @Test
  void driscollKraayNeedsAnIntegerTimeColumn() {
    Dataset<Row> grunfeld = csv("grunfeld.csv").withColumn("period", org.apache.spark.sql.functions.expr(
        "concat('y', year)"));
    ModelSpec spec = new ModelSpec("dk", "", "test", "inv ~ value", List.of("firm"), null, SeType.DRISCOLL_KRAAY,
        null, null, true, EstimatorSpec.OLS, new InferenceSpec(null, "period", 1, null));
    LearningRegionsException e = assertThrows(LearningRegionsException.class, () -> DUMMIES.fit(grunfeld, spec));
    assertTrue(e.getMessage().contains("must be an integer column"), e.getMessage());
  }

  static ModelSpec clustered(String cluster, String cluster2) {
    return new ModelSpec("cl", "", "test", "inv ~ value + capital", List.of("firm", "year"), cluster,
        SeType.CLUSTER, null, null, true, EstimatorSpec.OLS, new InferenceSpec(cluster2, null, null, null));
  }

  @Test
  void twoWayClusteringIsTheSumOfOneWayVariancesMinusTheIntersection() throws Exception {
    Map<String, Map<String, double[]>> ref = reference();
    Dataset<Row> grunfeld = csv("grunfeld.csv").withColumn("firm_year",
        org.apache.spark.sql.functions.expr("concat(firm, '_', year)"));
    FitResult twoWay = DUMMIES.fit(grunfeld, clustered("firm", "year"));
    // Both effects are nested in a cluster: K = 2 regressors + 1 (absorbed constant); G_min = 10 firms.
    double factor = 10.0 / 9 * 199.0 / 198;
    FitResult byFirm = DUMMIES.fit(grunfeld, clustered("firm", null));
    FitResult byYear = DUMMIES.fit(grunfeld, clustered("year", null));
    FitResult byCell = DUMMIES.fit(grunfeld, clustered("firm_year", null));
    for (String term : List.of("value", "capital")) {
      Coefficient c = twoWay.coefficient(term);
      assertEquals("cluster:firm+year", c.seType());
      assertEquals(9, c.df(), "t(G_min - 1)");
      // R sandwich::vcovCL(cluster = ~ firm + year, type = "HC0", cadjust = FALSE): the raw two-way variance.
      double raw = ref.get("grunfeld_cgm2way_hc0_raw").get(term)[1];
      assertTrue(LinearModelFitterTest.relErr(c.stdError(), Math.sqrt(factor) * raw) < 1e-8,
          term + ": " + c.stdError() + " vs R " + Math.sqrt(factor) * raw);
      // R's one-way raw variances: V_firm + V_year - V_firm&year.
      double f = ref.get("grunfeld_oneway_firm_raw").get(term)[1];
      double y = ref.get("grunfeld_oneway_year_raw").get(term)[1];
      double fy = ref.get("grunfeld_oneway_firmyear_raw").get(term)[1];
      assertTrue(LinearModelFitterTest.relErr(c.stdError() * c.stdError() / factor, f * f + y * y - fy * fy) < 1e-8);
      // This fitter's one-way path, each variance stripped of its own factor G/(G-1)(N-1)/(N-K), K = 2 regressors
      // + 29 effect parameters (19 year dummies, 10 firms) - the levels nested in the cluster + 1 when any is.
      double vf = raw(byFirm, term, 10, 199.0 / (200 - 22));
      double vy = raw(byYear, term, 20, 199.0 / (200 - 12));
      double vfy = raw(byCell, term, 200, 199.0 / (200 - 31));
      assertTrue(LinearModelFitterTest.relErr(c.stdError() * c.stdError() / factor, vf + vy - vfy) < 1e-8,
          term + ": two-way " + c.stdError() * c.stdError() / factor + " vs one-way sum " + (vf + vy - vfy));
    }
  }

  /** A one-way cluster variance without its factor G/(G-1) * (N-1)/(N-K). */
  private static double raw(FitResult f, String term, int clusters, double nFactor) {
    double se = f.coefficient(term).stdError();
    return se * se / ((double) clusters / (clusters - 1) * nFactor);
  }

  // ---- the wild cluster restricted bootstrap ----

  /** 8 regions x 6 years, region and year effects, weights; errors correlated within regions. */
  static List<LinearModelFitterTest.Obs> fewClusters(long seed, double slope) {
    Random r = new Random(seed);
    List<LinearModelFitterTest.Obs> out = new ArrayList<>();
    for (int g = 0; g < 8; g++) {
      double a = r.nextGaussian();
      double shock = r.nextGaussian();
      for (int t = 0; t < 6; t++) {
        double x1 = r.nextGaussian() + 0.5 * a + 0.5 * shock;
        double x2 = r.nextGaussian();
        double y = a + 0.2 * t + slope * x1 - 0.5 * x2 + 0.8 * shock + r.nextGaussian();
        out.add(new LinearModelFitterTest.Obs("g" + g, "t" + t, x1, x2, y, 0.5 + r.nextDouble()));
      }
    }
    return out;
  }

  static ModelSpec wcr(List<String> fe, int draws, BootstrapSpec.Weights weights) {
    return new ModelSpec("wcr", "", "test", "y ~ x1 + x2", fe, "g", SeType.CLUSTER, "w", null, true,
        EstimatorSpec.OLS, new InferenceSpec(null, null, null, new BootstrapSpec(draws, weights, 7)));
  }

  @Test
  void wildBootstrapEqualsRefittingEverySignVector() {
    List<LinearModelFitterTest.Obs> obs = fewClusters(11, 0.4);
    FitResult f = DUMMIES.fit(LinearModelFitterTest.frame(obs), wcr(List.of("g", "t"), 999,
        BootstrapSpec.Weights.RADEMACHER));
    RefitBootstrap oracle = new RefitBootstrap(obs);
    for (int j = 0; j < 2; j++) {
      Coefficient c = f.coefficient(j == 0 ? "x1" : "x2");
      assertEquals("wcr:rademacher:enumerated:256", c.bootstrap());
      assertEquals(oracle.pValue(j, 0), c.pValueWcr(), 1e-12, c.term());
      // The interval holds the estimate, and its ends are where the refitted p-value crosses 5%.
      assertTrue(c.ciWcrLow() < c.estimate() && c.estimate() < c.ciWcrHigh(), c.toString());
      double eps = 1e-4 * c.stdError();
      assertTrue(oracle.pValue(j, c.ciWcrLow() + eps) >= 0.05, "inside the low end");
      assertTrue(oracle.pValue(j, c.ciWcrLow() - eps) < 0.05, "outside the low end");
      assertTrue(oracle.pValue(j, c.ciWcrHigh() - eps) >= 0.05, "inside the high end");
      assertTrue(oracle.pValue(j, c.ciWcrHigh() + eps) < 0.05, "outside the high end");
    }
    // The same with both effects absorbed (region nested in the cluster, year partialled out with a warning).
    FitResult absorbed = ABSORB.fit(LinearModelFitterTest.frame(obs), wcr(List.of("g"), 999,
        BootstrapSpec.Weights.RADEMACHER));
    RefitBootstrap oneWay = new RefitBootstrap(obs.stream().map(o -> new LinearModelFitterTest.Obs(o.g(), "t0",
        o.x1(), o.x2(), o.y(), o.w())).toList());
    assertEquals(oneWay.pValue(0, 0), absorbed.coefficient("x1").pValueWcr(), 1e-12);
  }

  @Test
  void wildBootstrapSamplesWithASeedWhenTwoToTheGIsMoreThanTheDraws() {
    List<LinearModelFitterTest.Obs> obs = fewClusters(5, 0.0);
    Dataset<Row> data = LinearModelFitterTest.frame(obs);
    FitResult a = DUMMIES.fit(data, wcr(List.of("g", "t"), 199, BootstrapSpec.Weights.WEBB));
    FitResult b = DUMMIES.fit(data, wcr(List.of("g", "t"), 199, BootstrapSpec.Weights.WEBB));
    Coefficient c = a.coefficient("x1");
    assertEquals("wcr:webb:sampled:199:seed=7", c.bootstrap());
    assertEquals(c.pValueWcr(), b.coefficient("x1").pValueWcr(), "same seed, same p-value");
    assertTrue(c.pValueWcr() > 0 && c.pValueWcr() <= 1);
  }

  @Test
  void wildBootstrapRefusesTwoClustersAndNoCluster() {
    Dataset<Row> data = LinearModelFitterTest.frame(fewClusters(5, 0.0));
    ModelSpec two = new ModelSpec("wcr", "", "test", "y ~ x1", List.of("g"), "g", SeType.CLUSTER, null, null, true,
        EstimatorSpec.OLS, new InferenceSpec("t", null, null, BootstrapSpec.of("wcr", null, null, null)));
    assertThrows(LearningRegionsException.class, () -> DUMMIES.fit(data, two));
    assertThrows(LearningRegionsException.class, () -> BootstrapSpec.of("pairs", null, null, null));
  }

  /**
   * The bootstrap done the slow way: explicit dummies for both effects, weighted least squares by commons-math QR,
   * the restricted model refitted for H0: beta_j = r, and for each of the 2^G sign vectors y* rebuilt and the full
   * model refitted, with its cluster-robust variance formed from the refit's residuals.
   */
  static final class RefitBootstrap {
    final double[][] x;
    final double[] y;
    final double[] sw;
    final int[] cluster;
    final int clusters;

    RefitBootstrap(List<LinearModelFitterTest.Obs> obs) {
      List<String> groups = obs.stream().map(LinearModelFitterTest.Obs::g).distinct().sorted().toList();
      List<String> periods = obs.stream().map(LinearModelFitterTest.Obs::t).distinct().sorted().toList();
      int n = obs.size();
      int p = 3 + groups.size() - 1 + periods.size() - 1;
      x = new double[n][p];
      y = new double[n];
      sw = new double[n];
      cluster = new int[n];
      clusters = groups.size();
      for (int i = 0; i < n; i++) {
        LinearModelFitterTest.Obs o = obs.get(i);
        x[i][0] = o.x1();
        x[i][1] = o.x2();
        x[i][2] = 1;
        int g = groups.indexOf(o.g());
        cluster[i] = g;
        if (g > 0) {
          x[i][2 + g] = 1;
        }
        int t = periods.indexOf(o.t());
        if (t > 0) {
          x[i][2 + groups.size() - 1 + t] = 1;
        }
        y[i] = o.y();
        sw[i] = Math.sqrt(o.w());
      }
    }

    /** Weighted LS of {@code yy} on the columns of x except {@code drop} (-1: none): coefficients. */
    double[] solve(double[] yy, int drop) {
      int n = y.length;
      int p = x[0].length - (drop >= 0 ? 1 : 0);
      double[][] xs = new double[n][p];
      double[] ys = new double[n];
      for (int i = 0; i < n; i++) {
        int o = 0;
        for (int j = 0; j < x[0].length; j++) {
          if (j != drop) {
            xs[i][o++] = x[i][j] * sw[i];
          }
        }
        ys[i] = yy[i] * sw[i];
      }
      return new QRDecomposition(new Array2DRowRealMatrix(xs)).getSolver()
          .solve(new org.apache.commons.math3.linear.ArrayRealVector(ys)).toArray();
    }

    /** |t| of coefficient j (raw cluster variance: the small-sample factor cancels in the comparison). */
    double absT(double[] yy, int j, double r) {
      double[] b = solve(yy, -1);
      int n = y.length;
      int p = b.length;
      double[][] xtx = new double[p][p];
      double[][] scores = new double[clusters][p];
      for (int i = 0; i < n; i++) {
        double e = yy[i];
        for (int k = 0; k < p; k++) {
          e -= x[i][k] * b[k];
        }
        double w = sw[i] * sw[i];
        for (int k = 0; k < p; k++) {
          scores[cluster[i]][k] += w * x[i][k] * e;
          for (int l = 0; l < p; l++) {
            xtx[k][l] += w * x[i][k] * x[i][l];
          }
        }
      }
      RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(xtx)).getSolver().getInverse();
      double v = 0;
      for (double[] s : scores) {
        double a = 0;
        for (int k = 0; k < p; k++) {
          a += inv.getEntry(j, k) * s[k];
        }
        v += a * a;
      }
      return Math.abs(b[j] - r) / Math.sqrt(v);
    }

    double pValue(int j, double r) {
      int n = y.length;
      double[] shifted = new double[n];
      for (int i = 0; i < n; i++) {
        shifted[i] = y[i] - r * x[i][j];
      }
      double[] br = solve(shifted, j);
      double[] fitted = new double[n];
      double[] resid = new double[n];
      for (int i = 0; i < n; i++) {
        int o = 0;
        double fit = r * x[i][j];
        for (int k = 0; k < x[0].length; k++) {
          if (k != j) {
            fit += x[i][k] * br[o++];
          }
        }
        fitted[i] = fit;
        resid[i] = y[i] - fit;
      }
      double t = absT(y, j, r);
      int hits = 0;
      int draws = 1 << clusters;
      for (int d = 0; d < draws; d++) {
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
          ys[i] = fitted[i] + (((d >>> cluster[i]) & 1) == 0 ? 1 : -1) * resid[i];
        }
        if (absT(ys, j, r) >= t * (1 - 1e-10)) {
          hits++;
        }
      }
      return (double) hits / draws;
    }
  }
}
