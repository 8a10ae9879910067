package org.learningregions.model;

import java.util.Locale;
import org.learningregions.LearningRegionsException;

/** Standard-error conventions. Each names its small-sample correction where it is stored. */
public enum SeType {
  /** {@code s^2 (X'WX)^-1}, {@code s^2 = SSR/(N-K)}; t with N-K degrees of freedom. */
  CLASSICAL,
  /** White's sandwich with {@code N/(N-K)} (Stata {@code robust}, R sandwich "HC1"); t with N-K df. */
  HC1,
  /** One-way cluster sandwich with {@code G/(G-1) (N-1)/(N-K)}; t with G-1 df (Stata, R fixest default). */
  CLUSTER;

  public static SeType parse(String s) {
    try {
      return SeType.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw LearningRegionsException.usage("unknown standard-error type '" + s + "' (classical, hc1 or cluster)");
    }
  }
}
