package org.learningregions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.learningregions.LearningRegionsException;
import org.learningregions.SparkTestSession;

/**
 * The MLlib estimators against independent computations: MLlib LinearRegression (normal solver) against this
 * project's QR least squares, with and without weights; MLlib's Poisson GLM against a plain IRLS written here with
 * commons-math; the Gaussian identity GLM against OLS; elastic net's cross-validation against the planted noise.
 */
class MllibEstimatorsTest {
  static final StructType SCHEMA = new StructType().add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType)
      .add("y", DataTypes.DoubleType).add("count", DataTypes.DoubleType).add("w", DataTypes.DoubleType);

  /** 400 rows: y = 1 + 0.8 x1 - 0.5 x2 + N(0, 1); count ~ Poisson(exp(0.3 + 0.4 x1 - 0.2 x2)); weights in [0.5,
      1.5). */
  static final double[][] ROWS = rows(400, 17);

  static double[][] rows(int n, long seed) {
    Random r = new Random(seed);
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      double x1 = r.nextGaussian();
      double x2 = r.nextDouble() * 2;
      double y = 1 + 0.8 * x1 - 0.5 * x2 + r.nextGaussian();
      out[i] = new double[] {x1, x2, y, poisson(r, Math.exp(0.3 + 0.4 * x1 - 0.2 * x2)), 0.5 + r.nextDouble()};
    }
    return out;
  }

  static double poisson(Random r, double mean) {
    double l = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > l);
    return k - 1;
  }

  static Dataset<Row> frame() {
    List<Row> rows = new ArrayList<>();
    for (double[] v : ROWS) {
      rows.add(RowFactory.create(v[0], v[1], v[2], v[3], v[4]));
    }
    return SparkTestSession.get().createDataFrame(rows, SCHEMA);
  }

  static ModelSpec spec(String formula, String weight, EstimatorSpec estimator) {
    return new ModelSpec("test", "", "test", formula, List.of(), null, SeType.CLASSICAL, weight, null, false,
        estimator);
  }

  static final EstimatorSpec MLLIB = EstimatorSpec.of("mllib-linear", null, null, null, null, null, null);

  @Test
  void nonFiniteRowsAreDroppedAsMissing() {
    List<Row> rows = new ArrayList<>(frame().collectAsList());
    double inf = Double.POSITIVE_INFINITY;
    rows.add(RowFactory.create(Double.NaN, 1.0, 2.0, 1.0, 1.0));
    rows.add(RowFactory.create(1.0, -inf, 2.0, 1.0, 1.0));
    rows.add(RowFactory.create(1.0, 1.0, inf, 1.0, 1.0));
    rows.add(RowFactory.create(1.0, 1.0, 2.0, 1.0, inf));
    rows.add(RowFactory.create(1.0, 1.0, 2.0, 1.0, Double.NaN));
    Dataset<Row> bad = SparkTestSession.get().createDataFrame(rows, SCHEMA);
    ModelSpec linear = spec("y ~ x1 + x2", "w", MLLIB);
    FitResult clean = MllibModelFitter.fit(frame(), linear);
    FitResult dirty = MllibModelFitter.fit(bad, linear);
    assertEquals(5, dirty.nDroppedMissing());
    assertEquals(clean.nObs(), dirty.nObs());
    for (Coefficient c : clean.coefficients()) {
      assertEquals(c.estimate(), dirty.coefficient(c.term()).estimate(), 1e-9, c.term());
    }
  }

  @Test
  void mllibLinearRegressionEqualsQrLeastSquaresWithAndWithoutWeights() {
    for (String weight : new String[] {null, "w"}) {
      FitResult qr = LinearModelFitterTest.FITTER.fit(frame(), LinearModelFitterTest.spec("y ~ x1 + x2", List.of(),
          null, SeType.CLASSICAL, weight, false));
      FitResult ml = MllibModelFitter.fit(frame(), spec("y ~ x1 + x2", weight, MLLIB));
      assertEquals(List.of("(Intercept)", "x1", "x2"), ml.coefficients().stream().map(Coefficient::term).toList());
      for (Coefficient c : qr.coefficients()) {
        Coefficient m = ml.coefficient(c.term());
        assertEquals(c.estimate(), m.estimate(), 1e-9 * Math.max(1, Math.abs(c.estimate())), weight + " " + c.term());
        assertEquals(c.stdError(), m.stdError(), 1e-9, weight + " SE " + c.term());
        assertEquals(c.pValue(), m.pValue(), 1e-9, weight + " p " + c.term());
        assertEquals(c.ciLow(), m.ciLow(), 1e-9, weight + " CI " + c.term());
      }
      assertEquals(qr.r2(), ml.r2(), 1e-9, weight + " R2");
      assertEquals(qr.adjR2(), ml.adjR2(), 1e-9, weight + " adjusted R2");
      assertEquals(qr.sigma(), ml.sigma(), 1e-9, weight + " sigma");
      assertEquals(qr.dfResid(), ml.dfResid());
    }
  }

  /** Independent IRLS for a log-link Poisson model with prior weights: beta and sqrt(diag((X'WX)^-1)). */
  static double[][] poissonIrls(boolean weighted) {
    int n = ROWS.length;
    RealMatrix x = new Array2DRowRealMatrix(n, 3);
    for (int i = 0; i < n; i++) {
      x.setEntry(i, 0, 1);
      x.setEntry(i, 1, ROWS[i][0]);
      x.setEntry(i, 2, ROWS[i][1]);
    }
    RealVector b = new ArrayRealVector(3);
    RealMatrix xtwxInv = null;
    for (int it = 0; it < 100; it++) {
      RealMatrix xtwx = new Array2DRowRealMatrix(3, 3);
      RealVector xtwz = new ArrayRealVector(3);
      for (int i = 0; i < n; i++) {
        double eta = x.getRowVector(i).dotProduct(b);
        double mu = Math.exp(eta);
        double prior = weighted ? ROWS[i][4] : 1;
        double w = prior * mu;
        double z = eta + (ROWS[i][3] - mu) / mu;
        for (int a = 0; a < 3; a++) {
          xtwz.addToEntry(a, w * x.getEntry(i, a) * z);
          for (int c = 0; c < 3; c++) {
            xtwx.addToEntry(a, c, w * x.getEntry(i, a) * x.getEntry(i, c));
          }
        }
      }
      xtwxInv = new LUDecomposition(xtwx).getSolver().getInverse();
      RealVector next = xtwxInv.operate(xtwz);
      double change = next.subtract(b).getLInfNorm();
      b = next;
      if (change < 1e-13) {
        break;
      }
    }
    double[] se = new double[3];
    for (int a = 0; a < 3; a++) {
      se[a] = Math.sqrt(xtwxInv.getEntry(a, a));
    }
    return new double[][] {b.toArray(), se};
  }

  @Test
  void poissonGlmEqualsAnIndependentIrls() {
    String[] terms = {"(Intercept)", "x1", "x2"};
    for (boolean weighted : new boolean[] {false, true}) {
      FitResult glm = MllibModelFitter.fit(frame(), spec("count ~ x1 + x2", weighted ? "w" : null,
          EstimatorSpec.of("glm", "poisson", "log", null, null, null, null)));
      double[][] oracle = poissonIrls(weighted);
      for (int j = 0; j < 3; j++) {
        Coefficient c = glm.coefficient(terms[j]);
        assertEquals(oracle[0][j], c.estimate(), 1e-7, weighted + " " + terms[j]);
        assertEquals(oracle[1][j], c.stdError(), 1e-7, weighted + " SE " + terms[j]);
        // z test: the interval is estimate +- 1.959964 SE.
        assertEquals(c.estimate() + 1.959963984540054 * c.stdError(), c.ciHigh(), 1e-9);
      }
      assertEquals(1.0, glm.statistics().get("dispersion"), 1e-12);
      assertTrue(glm.statistics().get("deviance") < glm.statistics().get("null_deviance"));
    }
  }

  @Test
  void gaussianIdentityGlmEqualsOls() {
    FitResult qr = LinearModelFitterTest.FITTER.fit(frame(), LinearModelFitterTest.spec("y ~ x1 + x2", List.of(), null,
        SeType.CLASSICAL, "w", false));
    FitResult glm = MllibModelFitter.fit(frame(), spec("y ~ x1 + x2", "w",
        EstimatorSpec.of("glm", "gaussian", null, null, null, null, null)));
    for (Coefficient c : qr.coefficients()) {
      assertEquals(c.estimate(), glm.coefficient(c.term()).estimate(), 1e-8, c.term());
      assertEquals(c.stdError(), glm.coefficient(c.term()).stdError(), 1e-8, "SE " + c.term());
      assertEquals(c.pValue(), glm.coefficient(c.term()).pValue(), 1e-8, "p " + c.term());
    }
    assertEquals(qr.r2(), glm.r2(), 1e-9, "deviance explained = R2 for the Gaussian identity model");
  }

  @Test
  void elasticNetReportsCrossValidatedPredictionNotInference() {
    FitResult en = ElasticNetCv.fit(frame(), spec("y ~ x1 + x2", null,
        EstimatorSpec.of("elastic-net", null, null, 4, List.of(0.0, 1.0), List.of(0.0, 0.05, 5.0), 7L)));
    var s = en.statistics();
    // The noise is N(0, 1): out-of-fold RMSE of a well-chosen model is close to 1, and far below predicting the mean.
    assertTrue(s.get("cv_rmse") > 0.85 && s.get("cv_rmse") < 1.15, "cv_rmse " + s.get("cv_rmse"));
    assertTrue(s.get("cv_rmse_mean_only") > s.get("cv_rmse") + 0.1, s.toString());
    assertTrue(s.get("cv_r2") > 0.2 && s.get("cv_r2") < 0.6, "cv_r2 " + s.get("cv_r2"));
    assertTrue(s.get("selected_reg_param") < 5.0, "lambda 5 shrinks everything and must lose");
    assertEquals(6, s.keySet().stream().filter(k -> k.startsWith("cv_rmse[")).count());
    assertTrue(en.coefficients().stream().allMatch(c -> Double.isNaN(c.stdError()) && c.seType().equals("none")));
    // No penalty: the refit is ordinary least squares.
    FitResult unpenalised = ElasticNetCv.fit(frame(), spec("y ~ x1 + x2", null,
        EstimatorSpec.of("elastic-net", null, null, 3, List.of(0.0), List.of(0.0), 7L)));
    FitResult ols = LinearModelFitterTest.FITTER.fit(frame(), LinearModelFitterTest.spec("y ~ x1 + x2", List.of(),
        null, SeType.CLASSICAL, null, false));
    for (Coefficient c : ols.coefficients()) {
      assertEquals(c.estimate(), unpenalised.coefficient(c.term()).estimate(), 1e-6, c.term());
    }
  }

  @Test
  void estimatorsRefuseWhatTheyCannotDo() {
    ModelSpec fe = new ModelSpec("bad", "", "test", "y ~ x1", List.of("g"), null, SeType.CLASSICAL, null,
        null, false, MLLIB);
    LearningRegionsException e = assertThrows(LearningRegionsException.class, () -> ModelFitters.fit(null, frame(),
        fe));
    assertTrue(e.getMessage().contains("fixed effects need estimator ols"), e.getMessage());
    ModelSpec cluster = new ModelSpec("bad", "", "test", "y ~ x1", List.of(), "x2", SeType.CLUSTER, null,
        null, false, EstimatorSpec.of("glm", "poisson", null, null, null, null, null));
    e = assertThrows(LearningRegionsException.class, () -> ModelFitters.fit(null, frame(), cluster));
    assertTrue(e.getMessage().contains("cluster-robust SE need estimator ols"), e.getMessage());
    e = assertThrows(LearningRegionsException.class,
        () -> EstimatorSpec.of("glm", null, null, null, null, null, null));
    assertTrue(e.getMessage().contains("needs a family"), e.getMessage());
    e = assertThrows(LearningRegionsException.class, () -> EstimatorSpec.of("lasso", null, null, null, null, null,
        null));
    assertTrue(e.getMessage().contains("unknown estimator"), e.getMessage());
  }
}
