package org.learningregions.model;

import java.util.List;
import java.util.Map;

/**
 * Everything one fit produced: sample accounting (rows in, dropped for missing values, singletons), fit statistics
 * and coefficients. R-squared is on the original response; within R-squared on the demeaned response (FE models);
 * {@code rmse = sqrt(SSR/N)}, {@code sigma = sqrt(SSR/df_resid)}. {@code statistics} holds what only some
 * estimators have, by name: GLM deviance, null deviance, AIC and dispersion; elastic-net cross-validation metrics.
 */
public record FitResult(
    ModelSpec spec,
    long nInput,
    long nDroppedMissing,
    long nDroppedSingletons,
    long nObs,
    Map<String, Long> nGroups,
    long nClusters,
    List<String> nestedInCluster,
    int k,
    long dfAbsorbed,
    long dfResid,
    double r2,
    double adjR2,
    Double withinR2,
    double rmse,
    double sigma,
    double ssr,
    List<Coefficient> coefficients,
    List<String> droppedCollinear,
    List<String> warnings,
    int demeanIterations,
    java.util.Map<String, Double> statistics) {

  public Coefficient coefficient(String term) {
    return coefficients.stream().filter(c -> c.term().equals(term)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no coefficient " + term));
  }
}
