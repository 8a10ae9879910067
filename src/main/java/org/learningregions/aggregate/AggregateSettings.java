package org.learningregions.aggregate;

import java.util.List;
import org.learningregions.config.AppConfig;

/**
 * What shapes gold.learning_rates and gold.learning_rate_comparison, read once from {@code aggregate} in the
 * configuration.
 *
 * @param levels NUTS levels of the region totals (2, 1, 0 = country)
 * @param breakdowns breakdowns besides the total (sex, age_band, education_level, labour_status)
 * @param ageBands the bands of the age_band breakdown
 * @param reliability publication limits on unweighted respondents
 * @param confidence confidence level of the intervals
 * @param ageMin youngest respondent in the population of every rate
 * @param ageMax oldest respondent in the population of every rate
 * @param officialIndicator the official series survey estimates are compared with
 * @param officialAge the age group of that series
 */
public record AggregateSettings(List<Integer> levels, List<String> breakdowns, List<AgeBand> ageBands,
    ReliabilityThresholds reliability, double confidence, int ageMin, int ageMax, String officialIndicator,
    String officialAge) {

  public static AggregateSettings from(AppConfig config) {
    return new AggregateSettings(List.copyOf(config.raw().getIntList("aggregate.levels")),
        config.strings("aggregate.breakdowns"),
        config.raw().getConfigList("aggregate.age-bands").stream().map(AgeBand::of).toList(),
        new ReliabilityThresholds(config.raw().getLong("aggregate.reliability.limit-a"),
            config.raw().getLong("aggregate.reliability.limit-b")),
        config.number("aggregate.confidence"), config.integer("aggregate.age-min"),
        config.integer("aggregate.age-max"), config.string("aggregate.official.indicator"),
        config.string("aggregate.official.age"));
  }

  /** The estimator these settings describe. */
  public LearningRateEstimator estimator() {
    return new LearningRateEstimator(levels, breakdowns, ageBands, reliability, confidence);
  }
}
