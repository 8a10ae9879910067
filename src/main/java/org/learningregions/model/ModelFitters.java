package org.learningregions.model;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;

/** Sends a spec to its estimator, after checking the estimator can do what the spec asks. */
public final class ModelFitters {
  private ModelFitters() {}

  public static FitResult fit(FitSettings settings, Dataset<Row> data, ModelSpec spec) {
    EstimatorSpec.Kind kind = spec.estimator().kind();
    if (kind == EstimatorSpec.Kind.OLS) {
      return settings.linearFitter().fit(data, spec);
    }
    if (!spec.fixedEffects().isEmpty()) {
      throw LearningRegionsException.usage("model " + spec.name() + ": estimator " + kind.label()
          + " fits pooled models; fixed effects need estimator ols");
    }
    if (spec.se() != SeType.CLASSICAL || spec.cluster() != null) {
      throw LearningRegionsException.usage("model " + spec.name() + ": estimator " + kind.label() + " has "
          + (kind == EstimatorSpec.Kind.ELASTIC_NET ? "no standard errors" : "classical standard errors only")
          + "; HC1 and cluster-robust SE need estimator ols");
    }
    return kind == EstimatorSpec.Kind.ELASTIC_NET ? ElasticNetCv.fit(data, spec) : MllibModelFitter.fit(data, spec);
  }
}
