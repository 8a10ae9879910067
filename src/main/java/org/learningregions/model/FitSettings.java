package org.learningregions.model;

import java.util.List;
import org.learningregions.config.AppConfig;

/**
 * What shapes the fits, read once from {@code models} in the configuration.
 *
 * @param specs the specifications {@code pipeline} fits ({@code models.specs})
 * @param maxDemeanIterations most sweeps of alternating demeaning
 * @param demeanTolerance largest weighted group mean left after demeaning
 * @param minClustersWarning warn below this many clusters
 * @param dummyFeMaxLevels with exactly two fixed effects, the one with fewer levels enters as dummy columns when it
 *     has at most this many levels (0: always absorb)
 * @param skipSpecsWithoutData a spec whose input has no complete row is recorded as not fitted instead of failing
 *     the stage ({@code models.skip-specs-without-data}: one configuration for inputs that hold different series)
 */
public record FitSettings(List<ModelSpec> specs, int maxDemeanIterations, double demeanTolerance,
    int minClustersWarning, long dummyFeMaxLevels, boolean skipSpecsWithoutData) {

  public FitSettings {
    specs = List.copyOf(specs);
  }

  public static FitSettings from(AppConfig config) {
    return new FitSettings(ModelSpec.listFrom(config), config.integer("models.max-demean-iterations"),
        config.number("models.demean-tolerance"), config.integer("models.min-clusters-warning"),
        config.raw().getLong("models.dummy-fe-max-levels"), config.raw().getBoolean("models.skip-specs-without-data"));
  }

  /** The same settings fitting {@code others} instead of the configured specs. */
  public FitSettings withSpecs(List<ModelSpec> others) {
    return new FitSettings(others, maxDemeanIterations, demeanTolerance, minClustersWarning, dummyFeMaxLevels,
        skipSpecsWithoutData);
  }

  /** This project's least squares with these settings. */
  public LinearModelFitter linearFitter() {
    return new LinearModelFitter(maxDemeanIterations, demeanTolerance, minClustersWarning, dummyFeMaxLevels);
  }
}
