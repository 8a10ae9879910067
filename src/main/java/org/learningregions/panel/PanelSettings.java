package org.learningregions.panel;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.learningregions.LearningRegionsException;
import org.learningregions.config.AppConfig;

/**
 * What shapes gold.analysis_panel, gold.panel_coverage, gold.analysis_long_difference and gold.region_neighbours,
 * read once from {@code panel} in the configuration.
 *
 * @param nutsLevel NUTS level of the panel's regions
 * @param learningSource official, microdata or official-then-microdata
 * @param lags lags of the learning rate
 * @param longDifferenceMinSpan least span (years) of a region in the long difference
 * @param inputs for each panel input (gdp-eur, gdp-pps, gdp-pps-per-inhabitant, employment, hours, population,
 *     learning, tertiary) the
 *     selections in order of preference
 * @param spatial the contiguity table and spatial lags ({@code panel.spatial})
 * @param vintage which vintage of each dataset is read: latest, or a folder name ({@link Vintages})
 * @param derived columns computed from several series ({@code panel.derived}: shares, differences, Lilien indices)
 * @param tl2Nuts1Countries with {@code panel.tl2.enabled}, the countries whose OECD TL2 regions are NUTS 1 regions
 *     (gold.analysis_panel_tl2 is built beside the NUTS panel); empty: no TL2 panel
 */
public record PanelSettings(int nutsLevel, String learningSource, int lags, int longDifferenceMinSpan,
    Map<String, List<SeriesSelection>> inputs, Spatial spatial, String vintage, List<DerivedSeries> derived,
    List<String> tl2Nuts1Countries) {
  /** The panel inputs, in the order they are read. */
  public static final List<String> INPUTS = List.of("gdp-eur", "gdp-pps", "gdp-pps-per-inhabitant", "employment",
      "hours", "population", "learning", "tertiary");

  public PanelSettings {
    if (!List.of("official", "microdata", "official-then-microdata").contains(learningSource)) {
      throw LearningRegionsException.usage("panel.learning-source must be official, microdata or "
          + "official-then-microdata, not " + learningSource);
    }
    inputs = Map.copyOf(inputs);
    spatial = spatial == null ? Spatial.OFF : spatial;
    vintage = vintage == null || vintage.isBlank() ? "latest" : vintage.trim();
    derived = derived == null ? List.of() : List.copyOf(derived);
    tl2Nuts1Countries = tl2Nuts1Countries == null ? List.of() : List.copyOf(tl2Nuts1Countries);
  }

  /** Whether build-panel also writes the OECD TL2 panel. */
  public boolean tl2() {
    return !tl2Nuts1Countries.isEmpty();
  }

  /** Settings without spatial lags. */
  public PanelSettings(int nutsLevel, String learningSource, int lags, int longDifferenceMinSpan,
      Map<String, List<SeriesSelection>> inputs) {
    this(nutsLevel, learningSource, lags, longDifferenceMinSpan, inputs, Spatial.OFF, "latest", List.of(), List.of());
  }

  /**
   * What {@code panel.spatial} says: where the region boundaries are, and which panel columns get a spatial lag.
   *
   * @param boundaries path of a GeoJSON FeatureCollection of the panel level's regions (relative to the working
   *     directory), read by the driver; empty: no gold.region_neighbours and no W_ columns
   * @param lagVariables panel columns v that get {@code W_<v>} and {@code W_<v>_coverage}
   */
  public record Spatial(String boundaries, List<String> lagVariables) {
    /** No contiguity table, no spatial lags. */
    public static final Spatial OFF = new Spatial("", List.of());

    public Spatial {
      boundaries = boundaries == null ? "" : boundaries.trim();
      lagVariables = List.copyOf(lagVariables);
    }

    /** Whether a boundaries file is configured. */
    public boolean enabled() {
      return !boundaries.isEmpty();
    }
  }

  public static PanelSettings from(AppConfig config) {
    Config section = config.section("panel.inputs");
    Map<String, List<SeriesSelection>> inputs = new LinkedHashMap<>();
    for (String k : INPUTS) {
      inputs.put(k, SeriesSelection.listOf(section, k));
    }
    Spatial spatial = new Spatial(config.string("panel.spatial.boundaries"),
        config.strings("panel.spatial.lag-variables"));
    return new PanelSettings(config.integer("panel.nuts-level"), config.string("panel.learning-source"),
        config.integer("panel.lags"), config.integer("panel.long-difference-min-span"), inputs, spatial,
        config.string("panel.vintage"), DerivedSeries.listOf(config.section("panel.derived")),
        config.raw().getBoolean("panel.tl2.enabled")
            ? config.strings("panel.tl2.nuts1-countries") : List.of());
  }
}
