package org.learningregions.model;

import org.learningregions.LearningRegionsException;

/**
 * A specification whose input has no complete row (every row misses the outcome, a regressor, a fixed effect or the
 * cluster column): with {@code models.skip-specs-without-data} the fit stage records it as not fitted and goes on.
 */
public final class NoRowsException extends LearningRegionsException {
  private static final long serialVersionUID = 1L;

  NoRowsException(String model, long missing, long singletons) {
    super(FAILURE, "model " + model + ": no rows left after dropping " + missing + " rows with missing values"
        + (singletons < 0 ? "" : " and " + singletons + " singletons"), null);
  }
}
