package org.learningregions.aggregate;

import com.typesafe.config.Config;

/** An age band for breakdowns, inclusive at both ends (config {@code aggregate.age-bands}). */
public record AgeBand(String label, int min, int max) {
  static AgeBand of(Config c) {
    return new AgeBand(c.getString("label"), c.getInt("min"), c.getInt("max"));
  }
}
