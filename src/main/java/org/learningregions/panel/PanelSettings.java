package org.learningregions.panel;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.learningregions.LearningRegionsException;
import org.learningregions.config.AppConfig;

/**
 * What shapes gold.analysis_panel, gold.panel_coverage and gold.analysis_long_difference, read once from
 * {@code panel} in the configuration.
 *
 * @param nutsLevel NUTS level of the panel's regions
 * @param learningSource official, microdata or official-then-microdata
 * @param lags lags of the learning rate
 * @param longDifferenceMinSpan least span (years) of a region in the long difference
 * @param inputs for each panel input (gdp-eur, gdp-pps, employment, hours, population, learning, tertiary) the
 *     selections in order of preference
 */
public record PanelSettings(int nutsLevel, String learningSource, int lags, int longDifferenceMinSpan,
    Map<String, List<SeriesSelection>> inputs) {
  /** The panel inputs, in the order they are read. */
  public static final List<String> INPUTS = List.of("gdp-eur", "gdp-pps", "employment", "hours", "population",
      "learning", "tertiary");

  public PanelSettings {
    if (!List.of("official", "microdata", "official-then-microdata").contains(learningSource)) {
      throw LearningRegionsException.usage("panel.learning-source must be official, microdata or "
          + "official-then-microdata, not " + learningSource);
    }
    inputs = Map.copyOf(inputs);
  }

  public static PanelSettings from(AppConfig config) {
    Config section = config.section("panel.inputs");
    Map<String, List<SeriesSelection>> inputs = new LinkedHashMap<>();
    for (String k : INPUTS) {
      inputs.put(k, SeriesSelection.listOf(section, k));
    }
    return new PanelSettings(config.integer("panel.nuts-level"), config.string("panel.learning-source"),
        config.integer("panel.lags"), config.integer("panel.long-difference-min-span"), inputs);
  }
}
