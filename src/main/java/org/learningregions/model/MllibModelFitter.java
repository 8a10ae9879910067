package org.learningregions.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionTrainingSummary;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionTrainingSummary;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;

/**
 * Pooled models fitted by Spark MLlib with the standard errors MLlib computes: {@code LinearRegression} with the
 * normal solver ({@code s^2 (X'WX)^-1}, t with N-K degrees of freedom; weights as in weighted least squares) and
 * {@code GeneralizedLinearRegression} by iteratively reweighted least squares (inverse Fisher information times the
 * dispersion; z tests for binomial and Poisson, whose dispersion is fixed at 1, t with the residual degrees of
 * freedom otherwise, as R's glm). Neither absorbs fixed effects or gives robust SE: {@link LinearModelFitter} does.
 */
final class MllibModelFitter {
  private MllibModelFitter() {}

  static FitResult fit(Dataset<Row> input, ModelSpec spec) {
    ModelFrame frame = ModelFrame.of(input, spec);
    Dataset<Row> data = features(frame);
    long n = frame.nComplete();
    if (n == 0) {
      throw new NoRowsException(spec.name(), frame.nInput() - n, -1);
    }
    List<String> names = new ArrayList<>();
    for (Formula.Term t : frame.formula().terms()) {
      names.add(t.name());
    }
    return spec.estimator().kind() == EstimatorSpec.Kind.GLM ? glm(spec, frame, data, names)
        : linear(spec, frame, data, names);
  }

  /** The rows with the regressors assembled into the {@code features} vector MLlib expects. */
  static Dataset<Row> features(ModelFrame frame) {
    int k = frame.formula().terms().size();
    String[] xs = new String[k];
    for (int j = 0; j < k; j++) {
      xs[j] = "__x" + j;
    }
    return new VectorAssembler().setInputCols(xs).setOutputCol("features").transform(frame.rows())
        .select("features", "__y", "__w");
  }

  private static FitResult linear(ModelSpec spec, ModelFrame frame, Dataset<Row> data, List<String> names) {
    LinearRegression lr = new LinearRegression().setSolver("normal").setRegParam(0).setElasticNetParam(0)
        .setStandardization(false).setFitIntercept(true).setLabelCol("__y").setFeaturesCol("features");
    if (spec.weight() != null) {
      lr.setWeightCol("__w");
    }
    LinearRegressionModel model = lr.fit(data);
    LinearRegressionTrainingSummary s = model.summary();
    double[] se;
    try {
      se = s.coefficientStandardErrors();
    } catch (UnsupportedOperationException e) {
      throw LearningRegionsException.failure("model " + spec.name() + ": MLlib found X'WX singular (collinear terms); "
          + "estimator ols detects and drops collinear terms");
    }
    long df = s.degreesOfFreedom();
    String convention = "MLlib LinearRegression, normal solver: s^2 (X'WX)^-1, s^2 = sum(w e^2)/(N-K), K = "
        + (names.size() + 1) + "; t(N-K)";
    List<Coefficient> coefs = coefficients(model.intercept(), model.coefficients(), se, names, "classical",
        convention, df);
    // MLlib's own error measures are weight-averaged and its weighted R-squared differs from the weighted least
    // squares one; SSR = sum(w e^2) and R-squared = 1 - SSR / sum(w (y - weighted mean)^2), as the ols estimator.
    Column w = col("__w");
    Column e = col("__y").minus(col(model.getPredictionCol()));
    Row sums = s.predictions().agg(sum(w.multiply(e).multiply(e)), sum(w), sum(w.multiply(col("__y"))),
        sum(w.multiply(col("__y")).multiply(col("__y")))).head();
    double ssr = sums.getDouble(0);
    double tss = sums.getDouble(3) - sums.getDouble(2) * sums.getDouble(2) / sums.getDouble(1);
    double r2 = 1 - ssr / tss;
    double adjR2 = 1 - (1 - r2) * (s.numInstances() - 1) / df;
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put("mllib_iterations", (double) s.totalIterations());
    return new FitResult(spec, frame.nInput(), frame.nInput() - frame.nComplete(), 0, s.numInstances(), Map.of(), 0,
        List.of(), names.size() + 1, 0, df, r2, adjR2, null, Math.sqrt(ssr / s.numInstances()),
        Math.sqrt(ssr / df), ssr, coefs, List.of(), List.of(), 0, stats);
  }

  private static FitResult glm(ModelSpec spec, ModelFrame frame, Dataset<Row> data, List<String> names) {
    EstimatorSpec est = spec.estimator();
    GeneralizedLinearRegression glr = new GeneralizedLinearRegression().setFamily(est.family()).setMaxIter(100)
        .setTol(1e-12).setRegParam(0).setFitIntercept(true).setLabelCol("__y").setFeaturesCol("features");
    if (est.link() != null) {
      glr.setLink(est.link());
    }
    if (spec.weight() != null) {
      glr.setWeightCol("__w");
    }
    GeneralizedLinearRegressionModel model;
    try {
      model = glr.fit(data);
    } catch (IllegalArgumentException e) {
      throw LearningRegionsException.usage("model " + spec.name() + ": " + ModelFrame.firstLine(e.getMessage()));
    }
    GeneralizedLinearRegressionTrainingSummary s = model.summary();
    double[] se;
    try {
      se = s.coefficientStandardErrors();
    } catch (UnsupportedOperationException e) {
      throw LearningRegionsException.failure("model " + spec.name() + ": MLlib GLM has no standard errors ("
          + ModelFrame.firstLine(e.getMessage()) + ")");
    }
    boolean fixedDispersion = est.family().equals("binomial") || est.family().equals("poisson");
    long dfResid = s.residualDegreeOfFreedom();
    double df = fixedDispersion ? Double.POSITIVE_INFINITY : dfResid;
    String convention = "MLlib GeneralizedLinearRegression (IRLS), " + est.describe() + ": inverse Fisher information"
        + (fixedDispersion ? " (dispersion 1); z" : " x estimated dispersion (Pearson chi2/(N-K)); t(N-K)");
    List<Coefficient> coefs = coefficients(model.intercept(), model.coefficients(), se, names, "classical",
        convention, df);
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put("deviance", s.deviance());
    stats.put("null_deviance", s.nullDeviance());
    stats.put("aic", s.aic());
    stats.put("dispersion", s.dispersion());
    stats.put("irls_iterations", (double) s.numIterations());
    // Deviance explained stands in for R-squared (1 - D/D0); it equals R-squared for the Gaussian identity model.
    double devianceExplained = 1 - s.deviance() / s.nullDeviance();
    long n = s.numInstances();
    return new FitResult(spec, frame.nInput(), frame.nInput() - frame.nComplete(), 0, n, Map.of(), 0, List.of(),
        names.size() + 1, 0, dfResid, devianceExplained, Double.NaN, null, Double.NaN,
        Math.sqrt(s.dispersion()), s.deviance(), coefs, List.of(), List.of(), 0, stats);
  }

  /** Intercept first, then the terms, from MLlib's order (terms, then intercept last in the SE arrays). */
  static List<Coefficient> coefficients(double intercept, Vector beta, double[] se, List<String> names,
      String seType, String convention, double df) {
    boolean z = Double.isInfinite(df);
    TDistribution t = z ? null : new TDistribution(df);
    NormalDistribution normal = new NormalDistribution();
    double crit = z ? normal.inverseCumulativeProbability(0.975) : t.inverseCumulativeProbability(0.975);
    List<Coefficient> out = new ArrayList<>();
    int k = names.size();
    for (int j = -1; j < k; j++) {
      double b = j < 0 ? intercept : beta.apply(j);
      double s = j < 0 ? se[k] : se[j];
      double tv = b / s;
      double p = 2 * (1 - (z ? normal.cumulativeProbability(Math.abs(tv)) : t.cumulativeProbability(Math.abs(tv))));
      out.add(new Coefficient(j < 0 ? "(Intercept)" : names.get(j), b, s, tv, p, b - crit * s, b + crit * s, seType,
          convention, df));
    }
    return out;
  }
}
