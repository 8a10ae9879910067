package org.learningregions.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;

/**
 * Elastic net for prediction: MLlib LinearRegression with penalty {@code lambda (alpha |b|_1 + (1-alpha)/2 |b|_2^2)}
 * on standardised regressors, {@code alpha} and {@code lambda} chosen by k-fold cross-validated RMSE
 * (CrossValidator, fixed seed). Reported as out-of-fold prediction metrics (RMSE of every candidate; R-squared and
 * MAE of the chosen model, and the RMSE of predicting the mean for comparison); its coefficients are shrunk and
 * carry no standard errors, so it is kept apart from inference.
 */
final class ElasticNetCv {
  private ElasticNetCv() {}

  static FitResult fit(Dataset<Row> input, ModelSpec spec) {
    EstimatorSpec est = spec.estimator();
    ModelFrame frame = ModelFrame.of(input, spec);
    long n = frame.nComplete();
    if (n < est.folds()) {
      throw LearningRegionsException.failure("model " + spec.name() + ": " + n + " complete rows cannot make "
          + est.folds() + " cross-validation folds");
    }
    Dataset<Row> data = MllibModelFitter.features(frame).localCheckpoint();
    LinearRegression lr = new LinearRegression().setStandardization(true).setFitIntercept(true).setMaxIter(500)
        .setTol(1e-10).setLabelCol("__y").setFeaturesCol("features");
    if (spec.weight() != null) {
      lr.setWeightCol("__w");
    }
    double[] alphas = est.elasticNetParams().stream().mapToDouble(Double::doubleValue).toArray();
    double[] lambdas = est.regParams().stream().mapToDouble(Double::doubleValue).toArray();
    ParamMap[] grid = new ParamGridBuilder().addGrid(lr.elasticNetParam(), alphas).addGrid(lr.regParam(), lambdas)
        .build();
    CrossValidatorModel cv = crossValidate(lr, grid, "rmse", spec, est).fit(data);
    double[] avg = cv.avgMetrics();
    int best = 0;
    for (int i = 1; i < avg.length; i++) {
      if (avg[i] < avg[best]) {
        best = i;
      }
    }
    double alpha = value(grid[best], lr.elasticNetParam());
    double lambda = value(grid[best], lr.regParam());
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put("cv_folds", (double) est.folds());
    stats.put("selected_elastic_net_param", alpha);
    stats.put("selected_reg_param", lambda);
    stats.put("cv_rmse", avg[best]);
    // The same folds (same seed) scored by other metrics for the chosen penalty only.
    ParamMap[] chosen = {grid[best]};
    stats.put("cv_r2", crossValidate(lr, chosen, "r2", spec, est).fit(data).avgMetrics()[0]);
    stats.put("cv_mae", crossValidate(lr, chosen, "mae", spec, est).fit(data).avgMetrics()[0]);
    // Predicting the mean: what any model must beat (lambda large enough shrinks every slope to zero).
    ParamMap[] meanOnly = {new ParamMap().put(lr.elasticNetParam().w(1.0)).put(lr.regParam().w(1e12))};
    stats.put("cv_rmse_mean_only", crossValidate(lr, meanOnly, "rmse", spec, est).fit(data).avgMetrics()[0]);
    for (int i = 0; i < grid.length; i++) {
      stats.put(String.format(Locale.ROOT, "cv_rmse[alpha=%s,lambda=%s]", value(grid[i], lr.elasticNetParam()),
          value(grid[i], lr.regParam())), avg[i]);
    }
    LinearRegressionModel model = (LinearRegressionModel) cv.bestModel();
    List<String> names = new ArrayList<>();
    for (Formula.Term t : frame.formula().terms()) {
      names.add(t.name());
    }
    String convention = String.format(Locale.ROOT, "elastic net, alpha = %s, lambda = %s chosen by %d-fold CV RMSE "
        + "(seed %d): shrunk estimate for prediction, no standard errors", alpha, lambda, est.folds(), est.seed());
    List<Coefficient> coefs = new ArrayList<>();
    for (int j = -1; j < names.size(); j++) {
      double b = j < 0 ? model.intercept() : model.coefficients().apply(j);
      coefs.add(new Coefficient(j < 0 ? "(Intercept)" : names.get(j), b, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, "none", convention, Double.NaN));
    }
    var s = model.summary();
    long df = n - names.size() - 1;
    return new FitResult(spec, frame.nInput(), frame.nInput() - n, 0, n, Map.of(), 0, List.of(), names.size() + 1, 0,
        df, s.r2(), s.r2adj(), null, s.rootMeanSquaredError(), Double.NaN, Double.NaN, coefs, List.of(), List.of(), 0,
        stats);
  }

  private static double value(ParamMap m, org.apache.spark.ml.param.DoubleParam p) {
    Object v = m.apply(p);
    return ((Number) v).doubleValue();
  }

  private static CrossValidator crossValidate(LinearRegression lr, ParamMap[] grid, String metric,
      ModelSpec spec, EstimatorSpec est) {
    RegressionEvaluator evaluator = new RegressionEvaluator().setLabelCol("__y").setPredictionCol("prediction")
        .setMetricName(metric);
    if (spec.weight() != null) {
      evaluator.setWeightCol("__w");
    }
    return new CrossValidator().setEstimator(lr).setEvaluator(evaluator).setEstimatorParamMaps(grid)
        .setNumFolds(est.folds()).setSeed(est.seed()).setParallelism(2);
  }
}
