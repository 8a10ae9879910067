package org.learningregions.aggregate;

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
}
