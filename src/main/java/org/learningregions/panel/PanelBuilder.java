package org.learningregions.panel;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.learningregions.util.Seqs;
import org.learningregions.validate.NutsCatalog;

/**
 * Builds gold.analysis_panel (one row per region and year at the configured NUTS level, with productivity, learning
 * and its lags, controls and the learning-city flag) and gold.panel_coverage (every region-year that has some data
 * but is not in the panel, with the reasons).
 *
 * <p>Productivity is GDP per person employed: {@code gdp_eur_m * 1e6 / (employment_thousand * 1e3)} EUR (and PPS);
 * per hour worked where hours exist. The learning rate is the official series or the microdata estimate, as
 * {@code panel.learning-source} says, and {@code learning_source} names which one each row uses. Lags come from the
 * same region's series of earlier calendar years (a missing year gives a null lag, never the year before that).
 */
public final class PanelBuilder {
  public static final List<String> KEY = List.of("region_code", "year");
  /** Panel input ({@link PanelSettings#INPUTS}) -> the panel column holding its value, in the panel's column order. */
  private static final Map<String, String> INPUT_COLUMNS = inputColumns();

  private final int level;
  /** Countries whose regions are taken at NUTS 1 (the OECD's TL2 there); empty for a NUTS-level panel. */
  private final List<String> nuts1Countries;
  private final String learningSource;
  private final int lags;
  private final Map<String, List<SeriesSelection>> inputs;
  private final List<String> lagVariables;
  private final String vintage;
  private final List<DerivedSeries> derived;

  public PanelBuilder(PanelSettings settings) {
    this(settings, List.of());
  }

  /**
   * A panel of the OECD's TL2 regions when {@code nuts1Countries} is not empty: NUTS 1 regions in those countries
   * (Germany, France, the United Kingdom), NUTS 2 regions elsewhere, each value as published at that level (never
   * summed from children).
   */
  public PanelBuilder(PanelSettings settings, List<String> nuts1Countries) {
    this.nuts1Countries = List.copyOf(nuts1Countries);
    this.level = settings.nutsLevel();
    this.learningSource = settings.learningSource();
    this.lags = settings.lags();
    this.inputs = settings.inputs();
    this.lagVariables = settings.spatial().lagVariables();
    this.vintage = settings.vintage();
    this.derived = settings.derived();
  }

  private static Map<String, String> inputColumns() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("gdp-eur", "gdp_eur_m");
    columns.put("gdp-pps", "gdp_pps_m");
    columns.put("gdp-pps-per-inhabitant", "gdp_pps_per_inhabitant");
    columns.put("employment", "employment_thousand");
    columns.put("hours", "hours_worked_thousand");
    columns.put("population", "population");
    columns.put("learning", "learning_rate_official");
    columns.put("tertiary", "tertiary_attainment_rate");
    return Collections.unmodifiableMap(columns);
  }

  /**
   * Panel and coverage tables.
   *
   * @param regionsWithoutBoundaries panel regions absent from the spatial weights (null spatial lags), sorted; empty
   *     when there are no spatial lags
   * @param vintages the vintage read of each dataset ({@link Vintages#choose})
   * @param regionYears every region-year with some input, in the panel or not, with the panel's columns except the
   *     spatial lags: indicators that need no productivity (the learning index) are read from here
   */
  public record Panel(Dataset<Row> panel, Dataset<Row> coverage, List<String> regionsWithoutBoundaries,
      Map<String, String> vintages, Dataset<Row> regionYears) {}

  /** The panel without spatial lags. */
  public Panel build(SparkSession spark, Dataset<Row> indicators, Dataset<Row> rates, Dataset<Row> registry) {
    return build(spark, indicators, rates, registry, null);
  }

  /**
   * The panel; with {@code neighbours} (gold.region_neighbours), the spatial lags of the configured variables
   * appended after the other columns ({@link SpatialLag}), their neighbours' values taken from every region-year
   * the inputs have, in the panel or not.
   */
  public Panel build(SparkSession spark, Dataset<Row> indicators, Dataset<Row> rates, Dataset<Row> registry,
      Dataset<Row> neighbours) {
    Dataset<Row> levelRows = indicators.filter(atUnit());
    Map<String, String> vintages = Vintages.choose(levelRows, vintage);
    Dataset<Row> atLevel = Vintages.select(levelRows, vintages).localCheckpoint();
    Dataset<Row> micro = rates == null ? null : rates
        .filter(atUnit().and(col("measure").equalTo("any"))
            .and(col("breakdown").equalTo("total")))
        .groupBy("region_code", "year")
        .agg(expr("max_by(rate, survey)").as("learning_rate_microdata"),
            expr("max_by(se, survey)").as("learning_rate_microdata_se"),
            expr("max_by(reliability, survey)").as("learning_rate_microdata_reliability"),
            expr("max(survey)").as("microdata_survey"));

    // Every region-year with a value of some input series (or a microdata estimate) is a row.
    Dataset<Row> wide = inputSeries(atLevel);
    if (micro != null) {
      wide = wide.join(micro, Seqs.of("region_code", "year"), "full");
    }
    // Derived columns are controls: they do not make a region-year a panel candidate on their own.
    for (DerivedSeries d : derived) {
      wide = wide.join(d.compute(atLevel), Seqs.of("region_code", "year"), "left");
    }
    if (micro == null) {
      wide = wide.withColumn("learning_rate_microdata", lit(null).cast("double"))
          .withColumn("learning_rate_microdata_se", lit(null).cast("double"))
          .withColumn("learning_rate_microdata_reliability", lit(null).cast("string"))
          .withColumn("microdata_survey", lit(null).cast("string"));
    }
    Column officialRate = col("learning_rate_official");
    Column microRate = col("learning_rate_microdata");
    Column learning;
    Column source;
    switch (learningSource) {
      case "official" -> {
        learning = officialRate;
        source = when(officialRate.isNotNull(), concat(lit("official:"), col("learning_rate_official_dataset")));
      }
      case "microdata" -> {
        learning = microRate;
        source = when(microRate.isNotNull(), concat(lit("microdata:"), col("microdata_survey")));
      }
      default -> {
        learning = coalesce(officialRate, microRate);
        source = when(officialRate.isNotNull(), concat(lit("official:"), col("learning_rate_official_dataset")))
            .when(microRate.isNotNull(), concat(lit("microdata:"), col("microdata_survey")));
      }
    }
    Dataset<Row> nuts = broadcast(NutsCatalog.nuts2021().toDataFrame(spark)
        .select(col("nuts_code").as("region_code"), col("nuts_name").as("region_name"), col("nuts_country")));
    Dataset<Row> all = wide
        .withColumn("learning_rate", learning)
        .withColumn("learning_source", source)
        // The official flag belongs to the learning rate only when the official value is the one used.
        .withColumn("learning_flag", learningSource.equals("microdata") ? lit(null).cast("string")
            : when(officialRate.isNotNull(), col("learning_rate_official_flag")))
        .withColumn("productivity_eur", col("gdp_eur_m").multiply(1e6).divide(col("employment_thousand").multiply(1e3)))
        .withColumn("productivity_pps", col("gdp_pps_m").multiply(1e6).divide(col("employment_thousand").multiply(1e3)))
        .withColumn("productivity_eur_per_hour", col("gdp_eur_m").multiply(1e6).divide(col("hours_worked_thousand")
            .multiply(1e3)))
        .withColumn("employment_rate", col("employment_thousand").multiply(1e3).divide(col("population")).multiply(100))
        .join(nuts, Seqs.of("region_code"), "left")
        .withColumn("country", coalesce(col("nuts_country"), substring(col("region_code"), 1, 2)))
        // A NUTS code's level is its length minus the two letters of the country (TL2 panels mix levels 1 and 2).
        .withColumn("nuts_level", org.apache.spark.sql.functions.length(col("region_code")).minus(2))
        .drop("nuts_country");
    Column positive = col("productivity_eur").gt(0);
    all = all.withColumn("log_productivity_eur", when(positive, log(col("productivity_eur"))))
        .withColumn("log_productivity_pps", when(col("productivity_pps").gt(0), log(col("productivity_pps"))))
        .withColumn("log_gdp_pps_per_inhabitant", when(col("gdp_pps_per_inhabitant").gt(0),
            log(col("gdp_pps_per_inhabitant"))));
    // Cut the plan here: the lags join this table to itself, which would otherwise re-run every join above per lag.
    all = all.localCheckpoint();
    Dataset<Row> series = all.select(col("region_code"), col("year"), col("learning_rate"), col("learning_flag"))
        .localCheckpoint();
    for (int k = 1; k <= lags; k++) {
      // The flag travels with the lagged value, so a model can leave out low-reliability regressors (flag u).
      Dataset<Row> lag = series.select(col("region_code"), col("year").plus(k).as("year"),
          col("learning_rate").as("learning_rate_lag" + k), col("learning_flag").as("learning_flag_lag" + k));
      all = all.join(lag, Seqs.of("region_code", "year"), "left");
    }
    // Eurostat's b flag marks a break in the learning series (a new questionnaire, a new survey wave design): each
    // break starts a new segment of the region's series, so region-by-segment effects are region-specific steps
    // from every break year on.
    WindowSpec upToYear = Window.partitionBy("region_code").orderBy("year")
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    all = all.withColumn("learning_breaks", sum(when(coalesce(col("learning_flag"), lit("")).contains("b"), 1)
            .otherwise(0)).over(upToYear).cast("int"))
        .withColumn("learning_segment", concat_ws(":", col("region_code"), col("learning_breaks").cast("string")));
    all = withRegistry(all, registry);
    all = all.withColumn("has_gdp", col("gdp_eur_m").isNotNull())
        .withColumn("has_employment", col("employment_thousand").isNotNull())
        .withColumn("has_learning", col("learning_rate").isNotNull())
        .withColumn("has_lag1", lags >= 1 ? col("learning_rate_lag1").isNotNull() : lit(false));
    all = all.localCheckpoint();

    Column inPanel = col("log_productivity_eur").isNotNull().and(col("learning_rate").isNotNull());
    Column reasons = array_compact(array(
        when(col("gdp_eur_m").isNull(), lit("missing_gdp")),
        when(col("employment_thousand").isNull(), lit("missing_employment")),
        when(col("learning_rate").isNull().and(col("learning_rate_microdata_reliability").equalTo("suppressed")),
            lit("learning_rate_suppressed")),
        when(col("learning_rate").isNull().and(coalesce(col("learning_rate_microdata_reliability"), lit(""))
            .notEqual("suppressed")),
            lit("missing_learning_rate")),
        when(col("gdp_eur_m").isNotNull().and(col("employment_thousand").isNotNull())
            .and(col("log_productivity_eur").isNull()),
            lit("non_positive_productivity"))));
    Dataset<Row> coverage = all.filter(not(inPanel))
        .select(col("region_code"), col("region_name"), col("country"), col("year"),
            concat_ws(";", reasons).as("reasons"), col("has_gdp"), col("has_employment"), col("has_learning"));

    List<Column> panelCols = new ArrayList<>(List.of(
        col("region_code"), col("region_name"), col("country"), col("nuts_level"), col("year"),
        concat_ws("_", col("country"), col("year").cast("string")).as("country_year"),
        col("gdp_eur_m"), col("gdp_pps_m"), col("employment_thousand"), col("hours_worked_thousand"),
        col("productivity_eur"), col("productivity_pps"), col("productivity_eur_per_hour"),
        col("log_productivity_eur"), col("log_productivity_pps"),
        col("gdp_pps_per_inhabitant"), col("log_gdp_pps_per_inhabitant"),
        col("learning_rate"), col("learning_source"), col("learning_flag"),
        col("learning_rate_official"), col("learning_rate_official_flag"),
        col("learning_rate_microdata"), col("learning_rate_microdata_se"), col("learning_rate_microdata_reliability")));
    for (int k = 1; k <= lags; k++) {
      panelCols.add(col("learning_rate_lag" + k));
    }
    for (int k = 1; k <= lags; k++) {
      panelCols.add(col("learning_flag_lag" + k));
    }
    panelCols.add(col("learning_breaks"));
    panelCols.add(col("learning_segment"));
    panelCols.add(inPanel.as("in_panel"));
    panelCols.addAll(List.of(col("tertiary_attainment_rate"), col("employment_rate"), col("population"),
        col("learning_city"), col("learning_city_names"), col("learning_city_since"), col("learning_city_member"),
        col("has_gdp"), col("has_employment"), col("has_learning"), col("has_lag1"),
        col("gdp_eur_m_flag"), col("employment_thousand_flag"),
        source("gdp_eur_m").as("gdp_source"), source("employment_thousand").as("employment_source"),
        source("learning_rate_official").as("learning_rate_official_source")));
    for (DerivedSeries d : derived) {
      panelCols.add(col(d.name()));
    }
    Dataset<Row> candidates = all.select(panelCols.toArray(new Column[0]));
    Dataset<Row> panel = candidates.filter(col("in_panel")).drop("in_panel");
    if (neighbours == null || lagVariables.isEmpty()) {
      return new Panel(panel, coverage, List.of(), vintages, candidates);
    }
    SpatialLag.Result lagged = SpatialLag.append(panel, candidates, neighbours, lagVariables);
    return new Panel(lagged.panel(), coverage, lagged.regionsWithoutBoundaries(), vintages, candidates);
  }

  /**
   * The long difference: per region, the change in log productivity and in the learning rate between its first and
   * last panel year, when they are at least {@code minSpan} years apart. A robustness check against the
   * year-to-year models: slow-moving effects of learning that annual fixed-effects models cannot see would show
   * here. Computed on the panel, so it uses exactly the panel's values.
   */
  public static Dataset<Row> longDifference(Dataset<Row> panel, int minSpan) {
    Dataset<Row> ends = panel.groupBy("region_code").agg(min("year").as("first_year"), max("year").as("last_year"));
    Dataset<Row> first = panel.select(col("region_code"), col("year").as("first_year"),
        col("log_productivity_eur").as("first_log_productivity_eur"), col("learning_rate").as("first_learning_rate"));
    Dataset<Row> last = panel.select(col("region_code"), col("region_name"), col("country"),
        col("year").as("last_year"), col("log_productivity_eur").as("last_log_productivity_eur"),
        col("learning_rate").as("last_learning_rate"), col("learning_city"));
    return ends.filter(col("last_year").minus(col("first_year")).geq(minSpan))
        .join(first, Seqs.of("region_code", "first_year"))
        .join(last, Seqs.of("region_code", "last_year"))
        .select(col("region_code"), col("region_name"), col("country"), col("first_year"), col("last_year"),
            col("last_year").minus(col("first_year")).as("span_years"),
            col("last_log_productivity_eur").minus(col("first_log_productivity_eur")).as("d_log_productivity_eur"),
            col("last_learning_rate").minus(col("first_learning_rate")).as("d_learning_rate"),
            col("first_learning_rate"), col("learning_city"));
  }

  /**
   * The input series side by side, one row per region-year that has a selected row of any of them: for each entry of
   * {@link #INPUT_COLUMNS}, the value of the input's most preferred selection, with its flag ({@code _flag}), dataset
   * ({@code _dataset}) and vintage ({@code _vintage}); null where the input has no row or no selection. Each selection
   * names an indicator and optionally a dataset, sex, age, unit and other dimensions (other_dims, e.g.
   * {@code "nace_r2=TOTAL,wstatus=EMP"}, each of which must be present); where several selections have a value, the
   * first listed wins, and within one selection the alphabetically last dataset code, deterministically. One
   * aggregation over the selected rows of every input, tagged with the input's column: joining one aggregation per
   * input planned some forty broadcast joins for the sample's panel.
   */
  private Dataset<Row> inputSeries(Dataset<Row> atLevel) {
    List<Column> kept = List.of(col("region_code"), col("year"), col("value"), col("flag"), col("source_dataset"),
        col("source_vintage"), col("series"), col("preference"));
    Dataset<Row> rows = atLevel.filter(lit(false)).withColumn("series", lit("")).withColumn("preference", lit(0))
        .select(kept.toArray(Column[]::new));
    for (Map.Entry<String, String> input : INPUT_COLUMNS.entrySet()) {
      List<SeriesSelection> selections = inputs.getOrDefault(input.getKey(), List.of());
      for (int i = 0; i < selections.size(); i++) {
        rows = rows.unionByName(selections.get(i).filter(atLevel).withColumn("series", lit(input.getValue()))
            .withColumn("preference", lit(-i)).select(kept.toArray(Column[]::new)));
      }
    }
    String order = "struct(preference, source_dataset)";
    List<Column> aggregates = new ArrayList<>();
    for (String name : INPUT_COLUMNS.values()) {
      // Column names are the constants of INPUT_COLUMNS, never configuration text.
      String only = " FILTER (WHERE series = '" + name + "')";
      aggregates.add(expr("max_by(value, " + order + ")" + only).as(name));
      aggregates.add(expr("max_by(flag, " + order + ")" + only).as(name + "_flag"));
      aggregates.add(expr("max_by(source_dataset, " + order + ")" + only).as(name + "_dataset"));
      aggregates.add(expr("max_by(source_vintage, " + order + ")" + only).as(name + "_vintage"));
    }
    return rows.groupBy("region_code", "year")
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
  }

  /** Rows (with region_code and nuts_level) at the panel's regional unit. */
  private Column atUnit() {
    if (nuts1Countries.isEmpty()) {
      return col("nuts_level").equalTo(level);
    }
    // The country as the code's first two letters: gold.learning_rates has no country column.
    Column nuts1 = substring(col("region_code"), 1, 2).isin(nuts1Countries.toArray());
    return col("nuts_level").equalTo(1).and(nuts1).or(col("nuts_level").equalTo(2).and(not(nuts1)));
  }

  /** "dataset (vintage)" of a series' value, e.g. "trng_lfse_04 (eurostat_2024)"; null where it has none. */
  private static Column source(String name) {
    Column dataset = col(name + "_dataset");
    Column vintage = col(name + "_vintage");
    return when(dataset.isNotNull(), when(coalesce(vintage, lit("")).equalTo(""), dataset)
        .otherwise(concat(dataset, lit(" ("), vintage, lit(")"))));
  }

  private static Dataset<Row> withRegistry(Dataset<Row> panel, Dataset<Row> registry) {
    if (registry == null) {
      return panel.withColumn("learning_city", lit(false))
          .withColumn("learning_city_names", lit(null).cast("string"))
          .withColumn("learning_city_since", lit(null).cast("int"))
          .withColumn("learning_city_member", lit(false));
    }
    // A registry entry coded at a finer NUTS level (e.g. NUTS 3) belongs to the region its code starts with.
    Dataset<Row> cities = registry.filter(col("region_scheme").equalTo("NUTS2021"))
        .select(col("city"), col("region_code").as("city_region"), col("year_joined"));
    Dataset<Row> byRegion = panel.select("region_code").distinct()
        .join(broadcast(cities), col("city_region").startsWith(col("region_code")))
        .groupBy("region_code")
        .agg(concat_ws("; ", sort_array(collect_set("city"))).as("learning_city_names"),
            min("year_joined").as("learning_city_since"), size(collect_set("city")).as("n_cities"));
    return panel.join(byRegion, Seqs.of("region_code"), "left")
        .withColumn("learning_city", col("learning_city_names").isNotNull())
        .withColumn("learning_city_member", coalesce(col("year").geq(col("learning_city_since")), lit(false)))
        .drop("n_cities");
  }
}
