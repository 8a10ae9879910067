package org.learningregions.aggregate;

import org.learningregions.config.AppConfig;

/**
 * EU-LFS-style publication limits on unweighted respondents in a cell: below {@code limitA} nothing is published
 * ("suppressed"), below {@code limitB} the estimate is published and flagged "low", otherwise "ok".
 */
public record ReliabilityThresholds(long limitA, long limitB) {
  public ReliabilityThresholds {
    if (limitA < 1 || limitB < limitA) {
      throw org.learningregions.LearningRegionsException.usage(
          "aggregate.reliability needs 1 <= limit-a <= limit-b (got " + limitA + ", " + limitB + ")");
    }
  }

  public static ReliabilityThresholds from(AppConfig config) {
    return new ReliabilityThresholds(config.raw().getLong("aggregate.reliability.limit-a"),
        config.raw().getLong("aggregate.reliability.limit-b"));
  }
}
