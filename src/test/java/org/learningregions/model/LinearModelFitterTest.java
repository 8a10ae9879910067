package org.learningregions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.learningregions.LearningRegionsException;
import org.learningregions.SparkTestSession;

/**
 * The fitter against NIST's certified Longley results and against an independent dense computation: OLS with
 * explicit dummy variables (commons-math QR) and a separately written sandwich.
 */
class LinearModelFitterTest {
  /** Every effect absorbed by alternating projections. */
  static final LinearModelFitter FITTER = new LinearModelFitter(10000, 1e-12, 30, 0);
  /** The effect with fewest levels as dummy columns, the other absorbed in one sweep (the default). */
  static final LinearModelFitter DUMMIES = new LinearModelFitter(10000, 1e-12, 30, 200);

  static ModelSpec spec(String formula, List<String> fe, String cluster, SeType se, String weight,
      boolean keepSingletons) {
    return new ModelSpec("test", "", "test", formula, fe, cluster, se, weight, null, keepSingletons);
  }

  static double relErr(double got, double want) {
    return Math.abs(got - want) / Math.abs(want);
  }

  @Test
  void longleyMatchesNistCertifiedValuesToNineDigits() throws Exception {
    Dataset<Row> longley = SparkTestSession.get().read().option("header", "true").option("inferSchema", "true")
        .csv(SparkTestSession.resource("reference/longley.csv").toString());
    FitResult f = FITTER.fit(longley, spec("y ~ x1 + x2 + x3 + x4 + x5 + x6", List.of(), null, SeType.CLASSICAL,
        null, false));
    List<String> certified = Files.readAllLines(SparkTestSession.resource("reference/longley_certified.csv"));
    for (String line : certified.subList(1, certified.size())) {
      String[] c = line.split(",");
      Coefficient got = f.coefficient(c[0]);
      double b = Double.parseDouble(c[1]);
      double se = Double.parseDouble(c[2]);
      assertTrue(relErr(got.estimate(), b) < 1e-9, c[0] + " estimate " + got.estimate() + " vs " + b);
      assertTrue(relErr(got.stdError(), se) < 1e-9, c[0] + " SE " + got.stdError() + " vs " + se);
    }
    assertTrue(relErr(f.sigma(), 304.854073561965) < 1e-9, "sigma " + f.sigma());
    assertTrue(relErr(f.r2(), 0.995479004577296) < 1e-9, "R2 " + f.r2());
    assertEquals(9, f.dfResid());
  }

  record Obs(String g, String t, double x1, double x2, double y, double w) {}

  static final StructType PANEL = new StructType().add("g", DataTypes.StringType).add("t", DataTypes.StringType)
      .add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType).add("y", DataTypes.DoubleType)
      .add("w", DataTypes.DoubleType);

  /** An unbalanced panel: 14 groups x 7 periods with about 20% of cells missing. */
  static List<Obs> panel(long seed) {
    return panel(seed, 0.2);
  }

  static List<Obs> panel(long seed, double missingShare) {
    Random r = new Random(seed);
    List<Obs> out = new ArrayList<>();
    for (int g = 0; g < 14; g++) {
      double a = r.nextGaussian();
      for (int t = 0; t < 7; t++) {
        if (r.nextDouble() < missingShare) {
          continue;
        }
        double x1 = r.nextGaussian() + 0.5 * a;
        double x2 = r.nextGaussian() + 0.1 * t;
        double y = a + 0.3 * t + 1.5 * x1 - 0.7 * x2 + r.nextGaussian() * (0.5 + 0.3 * Math.abs(x1));
        out.add(new Obs("g" + g, "t" + t, x1, x2, y, 0.5 + r.nextDouble()));
      }
    }
    return out;
  }

  static Dataset<Row> frame(List<Obs> obs) {
    List<Row> rows = new ArrayList<>();
    for (Obs o : obs) {
      rows.add(RowFactory.create(o.g(), o.t(), o.x1(), o.x2(), o.y(), o.w()));
    }
    return SparkTestSession.get().createDataFrame(rows, PANEL);
  }

  /** Dense oracle: [x1 x2 1 group dummies (drop first) period dummies (drop first)], weighted by sqrt(w). */
  static final class DummyOls {
    final double[] beta;
    final double[][] vClassical;
    final double[][] vHc1;
    final double[][] vCluster;
    final double withinR2;
    final int n;
    final int p;

    DummyOls(List<Obs> obs, boolean weighted) {
      List<String> groups = obs.stream().map(Obs::g).distinct().sorted().toList();
      List<String> periods = obs.stream().map(Obs::t).distinct().sorted().toList();
      n = obs.size();
      p = 3 + (groups.size() - 1) + (periods.size() - 1);
      double[][] x = new double[n][p];
      double[] y = new double[n];
      double[] sw = new double[n];
      for (int i = 0; i < n; i++) {
        Obs o = obs.get(i);
        sw[i] = weighted ? Math.sqrt(o.w()) : 1;
        double[] row = x[i];
        row[0] = o.x1();
        row[1] = o.x2();
        row[2] = 1;
        int gi = groups.indexOf(o.g());
        if (gi > 0) {
          row[2 + gi] = 1;
        }
        int ti = periods.indexOf(o.t());
        if (ti > 0) {
          row[2 + groups.size() - 1 + ti] = 1;
        }
        for (int j = 0; j < p; j++) {
          row[j] *= sw[i];
        }
        y[i] = o.y() * sw[i];
      }
      RealMatrix xm = new Array2DRowRealMatrix(x);
      QRDecomposition qr = new QRDecomposition(xm);
      beta = qr.getSolver().solve(new org.apache.commons.math3.linear.ArrayRealVector(y)).toArray();
      RealMatrix xtxInv = qr.getSolver().getInverse().multiply(qr.getSolver().getInverse().transpose());
      double[] e = new double[n];
      double ssr = 0;
      for (int i = 0; i < n; i++) {
        double fit = 0;
        for (int j = 0; j < p; j++) {
          fit += x[i][j] * beta[j];
        }
        e[i] = y[i] - fit;
        ssr += e[i] * e[i];
      }
      vClassical = xtxInv.scalarMultiply(ssr / (n - p)).getData();
      // Within R-squared (fixest's): 1 - SSR / SSR of y on the fixed effects alone.
      RealMatrix fe = xm.getSubMatrix(0, n - 1, 2, p - 1);
      QRDecomposition qrFe = new QRDecomposition(fe);
      double[] a0 = qrFe.getSolver().solve(new org.apache.commons.math3.linear.ArrayRealVector(y)).toArray();
      double tssWithin = 0;
      for (int i = 0; i < n; i++) {
        double fit = 0;
        for (int j = 0; j < a0.length; j++) {
          fit += fe.getEntry(i, j) * a0[j];
        }
        tssWithin += (y[i] - fit) * (y[i] - fit);
      }
      withinR2 = 1 - ssr / tssWithin;
      // A = (X'X)^-1 X'; V = A Omega A' with Omega diagonal (HC) or block-diagonal by group (cluster).
      RealMatrix a = xtxInv.multiply(xm.transpose());
      double[][] hc = new double[p][p];
      Map<String, double[]> clusterScores = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        double[] s = clusterScores.computeIfAbsent(obs.get(i).g(), k -> new double[p]);
        for (int j = 0; j < p; j++) {
          s[j] += a.getEntry(j, i) * e[i];
          for (int l = 0; l < p; l++) {
            hc[j][l] += a.getEntry(j, i) * e[i] * e[i] * a.getEntry(l, i);
          }
        }
      }
      double[][] cl = new double[p][p];
      for (double[] s : clusterScores.values()) {
        for (int j = 0; j < p; j++) {
          for (int l = 0; l < p; l++) {
            cl[j][l] += s[j] * s[l];
          }
        }
      }
      int g = clusterScores.size();
      // Stata/fixest convention when the group FE is nested in the cluster: K = regressors + period dummies + 1.
      int kCluster = 2 + periods.size();
      double c = (double) g / (g - 1) * (double) (n - 1) / (n - kCluster);
      vHc1 = new double[p][p];
      vCluster = new double[p][p];
      for (int j = 0; j < p; j++) {
        for (int l = 0; l < p; l++) {
          vHc1[j][l] = hc[j][l] * n / (n - p);
          vCluster[j][l] = cl[j][l] * c;
        }
      }
    }
  }

  @Test
  void twoWayFixedEffectsEqualOlsWithDummiesAllSeTypes() {
    List<Obs> obs = panel(3);
    DummyOls oracle = new DummyOls(obs, false);
    for (SeType se : List.of(SeType.CLASSICAL, SeType.HC1, SeType.CLUSTER)) {  // Driscoll-Kraay: PanelInferenceTest
     for (LinearModelFitter fitter : List.of(FITTER, DUMMIES)) {
      FitResult f = fitter.fit(frame(obs), spec("y ~ x1 + x2", List.of("g", "t"), se == SeType.CLUSTER ? "g" : null,
          se, null, true));
      double[][] v = se == SeType.CLASSICAL ? oracle.vClassical : se == SeType.HC1 ? oracle.vHc1 : oracle.vCluster;
      for (int j = 0; j < 2; j++) {
        Coefficient c = f.coefficients().get(j);
        assertEquals(oracle.beta[j], c.estimate(), 1e-8 * Math.max(1, Math.abs(oracle.beta[j])), se + " b" + j);
        assertEquals(Math.sqrt(v[j][j]), c.stdError(), 1e-8, se + " se" + j);
      }
      assertEquals(oracle.n - oracle.p, f.dfResid());
      assertEquals(oracle.withinR2, f.withinR2(), 1e-9, se + " within R2");
      if (fitter == FITTER) {
        assertTrue(f.demeanIterations() > 1, "unbalanced two-way panels need iterations");
      } else {
        assertEquals(1, f.demeanIterations(), "one absorbed effect needs one sweep");
      }
     }
    }
  }

  @Test
  void balancedPanelNeedsOneSweepAndEqualsDummyOls() {
    List<Obs> obs = panel(13, 0.0);
    assertEquals(14 * 7, obs.size());
    DummyOls oracle = new DummyOls(obs, false);
    FitResult f = FITTER.fit(frame(obs), spec("y ~ x1 + x2", List.of("g", "t"), "g", SeType.CLUSTER, null, true));
    for (int j = 0; j < 2; j++) {
      assertEquals(oracle.beta[j], f.coefficients().get(j).estimate(), 1e-9);
      assertEquals(Math.sqrt(oracle.vCluster[j][j]), f.coefficients().get(j).stdError(), 1e-9);
    }
    // Exact after the first sweep; the second finds nothing left to subtract and stops.
    assertEquals(2, f.demeanIterations());
  }

  @Test
  void weightedFixedEffectsEqualWeightedDummyOls() {
    List<Obs> obs = panel(5);
    DummyOls oracle = new DummyOls(obs, true);
    for (LinearModelFitter fitter : List.of(FITTER, DUMMIES)) {
    FitResult f = fitter.fit(frame(obs), spec("y ~ x1 + x2", List.of("g", "t"), "g", SeType.CLUSTER, "w", true));
    for (int j = 0; j < 2; j++) {
      assertEquals(oracle.beta[j], f.coefficients().get(j).estimate(), 1e-8);
      assertEquals(Math.sqrt(oracle.vCluster[j][j]), f.coefficients().get(j).stdError(), 1e-8);
    }
    assertEquals(List.of("g"), f.nestedInCluster());
    assertEquals(14, f.nClusters());
    assertTrue(f.warnings().stream().anyMatch(w -> w.contains("only 14 clusters")));
    }
  }

  @Test
  void collinearTermsAreDroppedAndReported() {
    List<Row> rows = new ArrayList<>();
    for (Obs o : panel(7)) {
      rows.add(RowFactory.create(o.g(), o.t(), o.x1(), o.x2(), o.y(), 2 * o.x1()));
    }
    StructType withX3 = new StructType().add("g", DataTypes.StringType).add("t", DataTypes.StringType)
        .add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType).add("y", DataTypes.DoubleType)
        .add("x3", DataTypes.DoubleType);
    Dataset<Row> d = SparkTestSession.get().createDataFrame(rows, withX3);
    DummyOls oracle = new DummyOls(panel(7), false);
    for (LinearModelFitter fitter : List.of(FITTER, DUMMIES)) {
      FitResult f = fitter.fit(d, spec("y ~ x1 + x2 + x3", List.of("g", "t"), null, SeType.CLASSICAL, null, true));
      assertEquals(List.of("x3"), f.droppedCollinear());
      assertEquals(List.of("x1", "x2"), f.coefficients().stream().map(Coefficient::term).toList());
      assertEquals(oracle.beta[0], f.coefficient("x1").estimate(), 1e-8);
    }
  }

  @Test
  void singletonsAreDroppedIterativelyAndCounted() {
    List<Obs> obs = new ArrayList<>(panel(9));
    obs.add(new Obs("lonely", "t0", 0.3, 0.2, 1.0, 1.0));
    FitResult dropped = FITTER.fit(frame(obs), spec("y ~ x1 + x2", List.of("g", "t"), null, SeType.CLASSICAL, null,
        false));
    assertEquals(1, dropped.nDroppedSingletons());
    FitResult kept = FITTER.fit(frame(obs), spec("y ~ x1 + x2", List.of("g", "t"), null, SeType.CLASSICAL, null,
        true));
    assertEquals(0, kept.nDroppedSingletons());
    assertEquals(dropped.nObs() + 1, kept.nObs());
    // A singleton is fitted perfectly by its own fixed effect: the slopes do not move.
    assertEquals(dropped.coefficient("x1").estimate(), kept.coefficient("x1").estimate(), 1e-9);
  }

  @Test
  void missingValuesAreCountedAndBadSpecsFailWithOneLine() {
    List<Row> rows = new ArrayList<>();
    for (Obs o : panel(11)) {
      rows.add(RowFactory.create(o.g(), o.t(), o.x1(), o.x2(), o.y(), o.w()));
    }
    rows.add(RowFactory.create("g1", "t9", null, 1.0, 2.0, 1.0));
    Dataset<Row> clean = SparkTestSession.get().createDataFrame(new ArrayList<>(rows), PANEL);
    // NaN and infinite values are dropped as missing: kept, one of them makes every estimate NaN.
    rows.add(RowFactory.create("g2", "t9", Double.NaN, 1.0, 2.0, 1.0));
    rows.add(RowFactory.create("g3", "t9", 1.0, 1.0, Double.POSITIVE_INFINITY, 1.0));
    rows.add(RowFactory.create("g4", "t9", Double.NEGATIVE_INFINITY, 1.0, 2.0, 1.0));
    rows.add(RowFactory.create("g5", "t9", 1.0, 1.0, 2.0, Double.POSITIVE_INFINITY));
    Dataset<Row> d = SparkTestSession.get().createDataFrame(rows, PANEL);
    FitResult f = FITTER.fit(d, spec("y ~ x1 + log(w)", List.of("g"), null, SeType.HC1, null, false));
    assertEquals(5, f.nDroppedMissing());
    assertEquals(FITTER.fit(clean, spec("y ~ x1 + log(w)", List.of("g"), null, SeType.HC1, null, false))
        .coefficient("x1").estimate(), f.coefficient("x1").estimate(), 1e-9);
    FitResult weighted = FITTER.fit(d, spec("y ~ x1", List.of("g"), null, SeType.HC1, "w", false));
    assertEquals(5, weighted.nDroppedMissing());
    assertEquals(FITTER.fit(clean, spec("y ~ x1", List.of("g"), null, SeType.HC1, "w", false))
        .coefficient("x1").estimate(), weighted.coefficient("x1").estimate(), 1e-9);
    LearningRegionsException e = assertThrows(LearningRegionsException.class,
        () -> FITTER.fit(d, spec("y ~ nope", List.of(), null, SeType.CLASSICAL, null, false)));
    assertTrue(e.getMessage().contains("unknown column 'nope'"), e.getMessage());
    LearningRegionsException one = assertThrows(LearningRegionsException.class,
        () -> FITTER.fit(d.filter("g = 'g1'"), spec("y ~ x1", List.of(), "g", SeType.CLUSTER, null, false)));
    assertTrue(one.getMessage().contains("at least 2 clusters"), one.getMessage());
    LearningRegionsException continuous = assertThrows(LearningRegionsException.class,
        () -> FITTER.fit(d, spec("y ~ x1", List.of("x2"), null, SeType.CLASSICAL, null, false)));
    assertTrue(continuous.getMessage().contains("no rows left"), continuous.getMessage());
  }
}
