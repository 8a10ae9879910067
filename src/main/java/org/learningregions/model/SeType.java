package org.learningregions.model;

import java.util.Locale;
import org.learningregions.LearningRegionsException;

/** Standard-error conventions. Each names its small-sample correction where it is stored. */
public enum SeType {
  /** {@code s^2 (X'WX)^-1}, {@code s^2 = SSR/(N-K)}; t with N-K degrees of freedom. */
  CLASSICAL,
  /** White's sandwich with {@code N/(N-K)} (Stata {@code robust}, R sandwich "HC1"); t with N-K df. */
  HC1,
  /**
   * Cluster sandwich. One-way: {@code G/(G-1) (N-1)/(N-K)}, t with G-1 df (Stata, R fixest default). Two-way
   * (Cameron-Gelbach-Miller, {@code V_a + V_b - V_ab}): one factor {@code G_min/(G_min-1) (N-1)/(N-K)} and t with
   * {@code G_min - 1} df, as R fixest's default {@code ssc(cluster.df = "min", t.df = "min")}.
   */
  CLUSTER,
  /**
   * Driscoll-Kraay: the sandwich whose meat is the Newey-West (Bartlett kernel, lag L) long-run variance of the
   * scores summed per time period; no small-sample factor (R plm::vcovSCC type "HC0"); t with T-1 df (Stata xtscc).
   */
  DRISCOLL_KRAAY;

  public static SeType parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    int colon = v.indexOf(':');
    if (colon >= 0) {
      v = v.substring(0, colon);
    }
    if (v.equals("driscoll-kraay") || v.equals("dk") || v.equals("scc")) {
      return DRISCOLL_KRAAY;
    }
    try {
      return SeType.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw LearningRegionsException.usage("unknown standard-error type '" + s
          + "' (classical, hc1, cluster or driscoll-kraay[:L])");
    }
  }

  /** The lag of {@code driscoll-kraay:L}, or null when none is given. */
  public static Integer lagOf(String s) {
    int colon = s.indexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      int lag = Integer.parseInt(s.substring(colon + 1).trim());
      if (lag < 0) {
        throw new NumberFormatException();
      }
      return lag;
    } catch (NumberFormatException e) {
      throw LearningRegionsException.usage("standard-error type '" + s + "': the lag after ':' must be an integer "
          + ">= 0");
    }
  }

  /** The name as written in specs and tables. */
  public String label() {
    return this == DRISCOLL_KRAAY ? "driscoll-kraay" : name().toLowerCase(Locale.ROOT);
  }
}
