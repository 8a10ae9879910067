package org.learningregions.index;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.learningregions.config.AppConfig;

/**
 * What shapes gold.learning_index and its audit and sensitivity tables, read once from {@code index} in the
 * configuration.
 *
 * @param indicators the indicators, in pillar order (empty: the stage writes nothing)
 * @param minCoverage the coverage rule: an indicator needs values for this share of the regions, a region for this
 *     share of the indicators (JRC audits: 0.65)
 * @param nominal how the published index is built
 * @param uncertainty what the Monte Carlo varies
 * @param outliers the outlier treatment before normalisation ({@code index.outliers})
 * @param pillarMeanImputation {@code index.imputation = pillar-mean} (default none)
 */
public record IndexSettings(List<Indicator> indicators, double minCoverage, CompositeIndex.Choice nominal,
    UncertaintyAnalysis.Settings uncertainty, OutlierRule outliers, boolean pillarMeanImputation) {

  /**
   * When an indicator is winsorised ({@link Outliers}).
   *
   * @param winsorise whether to treat outliers at all
   * @param maxSkewness treat when |skewness| exceeds this ...
   * @param maxKurtosis ... and the excess kurtosis exceeds this (JRC: 2 and 3.5)
   * @param maxPoints most values changed per indicator
   */
  public record OutlierRule(boolean winsorise, double maxSkewness, double maxKurtosis, int maxPoints) {}

  /**
   * One indicator: a column of gold.region_years (the panel's columns for every region-year).
   *
   * @param name the indicator's name in the audit tables
   * @param column its column
   * @param seColumn the column of its standard error (survey estimates), or null
   * @param higherIsBetter its direction
   * @param pillar the pillar it belongs to
   * @param absolute whether the indicator is the column's absolute value ({@code transform = abs}): a gap between
   *     women and men counts against inclusion whichever way it runs
   */
  public record Indicator(String name, String column, String seColumn, boolean higherIsBetter, String pillar,
      boolean absolute) {
    /** An indicator read as the column holds it. */
    public Indicator(String name, String column, String seColumn, boolean higherIsBetter, String pillar) {
      this(name, column, seColumn, higherIsBetter, pillar, false);
    }
  }

  public IndexSettings {
    indicators = List.copyOf(indicators);
  }

  public static IndexSettings from(AppConfig config) {
    Config c = config.section("index");
    List<Indicator> indicators = new ArrayList<>();
    for (Config i : c.getConfigList("indicators")) {
      String direction = i.hasPath("direction") ? i.getString("direction") : "higher-is-better";
      if (!direction.equals("higher-is-better") && !direction.equals("lower-is-better")) {
        throw new IllegalArgumentException("index indicator " + i.getString("name") + ": direction must be "
            + "higher-is-better or lower-is-better, not '" + direction + "'");
      }
      String transform = i.hasPath("transform") ? i.getString("transform") : "none";
      if (!transform.equals("none") && !transform.equals("abs")) {
        throw new IllegalArgumentException("index indicator " + i.getString("name") + ": transform must be none or "
            + "abs, not '" + transform + "'");
      }
      indicators.add(new Indicator(i.getString("name"), i.getString("column"),
          i.hasPath("se-column") ? i.getString("se-column") : null, direction.equals("higher-is-better"),
          i.getString("pillar"), transform.equals("abs")));
    }
    Config mc = c.getConfig("monte-carlo");
    return new IndexSettings(indicators, c.getDouble("min-coverage"),
        new CompositeIndex.Choice(Normalisation.parse(c.getString("nominal.normalisation")),
            Weighting.parse(c.getString("nominal.weighting")), Aggregation.parse(c.getString("nominal.aggregation")),
            -1),
        new UncertaintyAnalysis.Settings(mc.getInt("draws"), mc.getLong("seed"),
            mc.getStringList("normalisations").stream().map(Normalisation::parse).toList(),
            mc.getStringList("weightings").stream().map(Weighting::parse).toList(),
            mc.getStringList("aggregations").stream().map(Aggregation::parse).toList(),
            mc.getBoolean("drop-one-indicator"), mc.getBoolean("sampling-error")),
        new OutlierRule(c.getBoolean("outliers.winsorise"), c.getDouble("outliers.max-skewness"),
            c.getDouble("outliers.max-kurtosis"), c.getInt("outliers.max-points")),
        imputation(c.getString("imputation")));
  }

  private static boolean imputation(String value) {
    if (!value.equals("none") && !value.equals("pillar-mean")) {
      throw new IllegalArgumentException("index.imputation must be none or pillar-mean, not '" + value + "'");
    }
    return value.equals("pillar-mean");
  }

  /** The pillars in order of first appearance. */
  public List<String> pillars() {
    return indicators.stream().map(Indicator::pillar).distinct().toList();
  }
}
