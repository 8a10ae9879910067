package org.learningregions.model;

import java.util.Locale;
import org.learningregions.LearningRegionsException;

/**
 * A wild cluster restricted bootstrap (WCR) asked for with a fit: how many draws, which cluster-level weights and
 * the seed of the draws (recorded with the results, so a p-value can be reproduced).
 *
 * @param draws bootstrap draws B (every one of the 2^G Rademacher sign vectors is enumerated instead when 2^G <= B)
 * @param weights the distribution of the cluster-level weights
 * @param seed seed of the random draws
 */
public record BootstrapSpec(int draws, Weights weights, long seed) {
  /** The default number of draws (as boottest's and fwildclusterboot's examples: B + 1 a multiple of 100). */
  public static final int DEFAULT_DRAWS = 9999;
  /** The default seed: a fixed one, so that a configured spec gives the same p-value each run. */
  public static final long DEFAULT_SEED = 20_190_101L;

  /** Cluster-level weight distributions (Roodman, MacKinnon, Nielsen and Webb 2019, section 2.3). */
  public enum Weights {
    /** +1 or -1 with probability 1/2 each. */
    RADEMACHER,
    /** Webb's six points: +-sqrt(3/2), +-1, +-sqrt(1/2), each with probability 1/6 (better for G below about 12). */
    WEBB;

    static Weights parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw LearningRegionsException.usage("unknown bootstrap weights '" + s + "' (rademacher or webb)");
      }
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public BootstrapSpec {
    if (draws < 99) {
      throw LearningRegionsException.usage("a wild bootstrap needs at least 99 draws, not " + draws);
    }
  }

  /** From the command line or a spec: type (only wcr), draws, weights and seed, each optional but the type. */
  public static BootstrapSpec of(String type, Integer draws, String weights, Long seed) {
    if (!"wcr".equalsIgnoreCase(type.trim())) {
      throw LearningRegionsException.usage("unknown bootstrap '" + type + "' (wcr: wild cluster restricted)");
    }
    return new BootstrapSpec(draws == null ? DEFAULT_DRAWS : draws,
        weights == null ? Weights.RADEMACHER : Weights.parse(weights), seed == null ? DEFAULT_SEED : seed);
  }

  /** What identifies the bootstrap in a run id. */
  String describe() {
    return "wcr:" + weights.label() + ":" + draws + ":" + seed;
  }
}
