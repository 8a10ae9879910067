package org.learningregions.aggregate;

import com.typesafe.config.Config;
import java.util.List;
import org.learningregions.config.AppConfig;

/** An age band for breakdowns, inclusive at both ends (config {@code aggregate.age-bands}). */
public record AgeBand(String label, int min, int max) {
  public static List<AgeBand> from(AppConfig config) {
    return config.raw().getConfigList("aggregate.age-bands").stream().map(AgeBand::of).toList();
  }

  private static AgeBand of(Config c) {
    return new AgeBand(c.getString("label"), c.getInt("min"), c.getInt("max"));
  }
}
