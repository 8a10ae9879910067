package org.learningregions.report;

import static org.learningregions.report.ReportColumn.decimal;
import static org.learningregions.report.ReportColumn.integer;
import static org.learningregions.report.ReportColumn.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The exported tables of a report, with the codebook entry of every column: the same {@link ReportTable}s feed
 * csv/, tables.xlsx, the PDF and codebook.md, so that what a column means is written once.
 */
final class ReportTables {
  private static final String PANEL = "gold.analysis_panel";
  private static final String RATES = "gold.learning_rates";
  private static final String PCT = "percent of adults 25-64";

  private ReportTables() {}

  static List<ReportTable> of(ReportData d, Labels labels) {
    List<ReportTable> out = new ArrayList<>();
    out.add(coefficients(d, labels));
    out.add(runs(d));
    out.add(panel(d));
    out.add(profiles(d));
    out.add(table("panel_coverage", "Region-years not in the panel",
        "Region-years with some data that the analysis panel leaves out, and why.", d.coverage(), List.of(
            text("region_code", "NUTS region code (target NUTS version)", "gold.panel_coverage"),
            text("region_name", "region name", "NUTS classification"),
            text("country", "country code", "gold.panel_coverage"),
            integer("year", "", "reference year", "gold.panel_coverage"),
            text("reasons", "why the region-year is missing: missing_gdp, missing_employment, missing_learning_rate, "
                + "learning_rate_suppressed, non_positive_productivity (';'-separated)", "gold.panel_coverage"))));
    if (!d.learningRates().isEmpty()) {
      out.add(rates(d));
    }
    if (!d.learningCities().isEmpty()) {
      out.add(table("learning_cities", "Learning cities", "Cities of the learning-city registry and the panel "
          + "region they fall in.", d.learningCities(), List.of(
              text("city", "city name as in the registry", "silver.learning_city_registry"),
              text("country", "country code", "silver.learning_city_registry"),
              text("region_code", "region code given by the registry", "silver.learning_city_registry"),
              text("region_scheme", "classification of that code", "silver.learning_city_registry"),
              integer("year_joined", "", "year the city joined", "silver.learning_city_registry"),
              text("panel_region", "panel region containing it (empty: not in the data)", PANEL),
              text("region_name", "name of the panel region", "NUTS classification"),
              text("why_missing", "why the city's region is not in the panel (empty when it is)",
                  "gold.analysis_panel, quarantine.regional_indicator"))));
    }
    if (!d.learningIndex().isEmpty()) {
      String src = "gold.learning_index";
      out.add(table("learning_index", "The learning-region index", "One row per ranked region: the composite index "
          + "of the year in the table, its rank, and the rank's Monte Carlo distribution (docs/METHODS.md section 5).",
          d.learningIndex(), List.of(
              text("region_code", "NUTS region code", src),
              text("region_name", "region name", src),
              text("country", "country code", src),
              integer("year", "", "year of the indicators", src),
              decimal("score", 2, "index points", "nominal score (0-100 with min-max normalisation)", src),
              integer("rank", "rank", "nominal rank, 1 = highest score", src),
              decimal("rank_median", 1, "rank", "median rank over the Monte Carlo draws", src),
              decimal("rank_p05", 1, "rank", "5th percentile of the rank over the draws", src),
              decimal("rank_p95", 1, "rank", "95th percentile of the rank over the draws", src),
              integer("regions_ranked", "regions", "regions ranked", src),
              decimal("coverage", 2, "share", "share of the indicators with a value", src),
              text("method", "nominal normalisation, weighting, aggregation", src),
              integer("draws", "", "N of the Saltelli design (2N draws for the ranks)", src))));
      String sens = "gold.learning_index_sensitivity";
      out.add(table("learning_index_sensitivity", "What moves the index's ranks", "Sobol indices of each uncertain "
          + "choice on the mean absolute rank shift from the nominal ranking.", d.indexSensitivity(), List.of(
              text("factor", "the uncertain choice", sens),
              decimal("first_order", 3, "share", "first-order Sobol index (Saltelli 2010): the choice alone", sens),
              decimal("total_effect", 3, "share", "total-effect index (Jansen): with its interactions", sens),
              decimal("output_variance", 3, "ranks squared", "variance of the mean absolute rank shift", sens),
              integer("draws", "", "N of the Saltelli design", sens))));
    }
    out.add(table("learning_city_comparison", "Learning-city regions and the others",
        "Means over region-years of the panel. Membership is not random: this describes, it does not evaluate.",
        d.cityComparison(), List.of(
            text("group", "learning-city regions before / after their first city joined, or other regions", PANEL),
            integer("regions", "regions", "regions in the group", PANEL),
            integer("region_years", "region-years", "region-years in the group", PANEL),
            decimal("mean_learning_rate", 2, PCT, "mean learning rate", PANEL),
            decimal("mean_productivity_eur", 0, "EUR per person employed", "mean productivity", PANEL))));
    out.add(table("sources", "Sources", "Input files behind silver.regional_indicator, with the ingest run that "
        + "read them (their vintage in this lakehouse).", d.sources(), List.of(
            text("source_dataset", "Eurostat or OECD dataset code", "silver.regional_indicator"),
            text("source_file", "input file name", "silver.regional_indicator"),
            integer("observations", "rows", "observations accepted into silver", "silver.regional_indicator"),
            integer("first_year", "", "first year", "silver.regional_indicator"),
            integer("last_year", "", "last year", "silver.regional_indicator"),
            text("ingest_run_id", "run that ingested the file (starts with its UTC time)",
                "silver.regional_indicator"))));
    return out;
  }

  /** The coefficients with the labels of their model, term and SE type beside the codes. */
  private static ReportTable coefficients(ReportData d, Labels labels) {
    ReportTable t = coefficientCodes(d);
    int model = t.columnIndex("model_name");
    int term = t.columnIndex("term");
    int se = t.columnIndex("se_type");
    int clusters = t.columnIndex("n_clusters");
    for (Object[] r : t.rows()) {
      r[model + 1] = labels.model((String) r[model]);
      r[term + 1] = labels.term((String) r[term]);
      r[se + 1] = SummaryContext.capitalise(labels.se((String) r[se], (Long) r[clusters]));
    }
    return t;
  }

  private static ReportTable coefficientCodes(ReportData d) {
    String src = "gold.model_coefficients";
    return table("model_coefficients", "Model coefficients", "One row per model term, latest run of every model "
        + "specification. Estimates are in log points of productivity per percentage point of learning.",
        d.coefficients(), List.of(
            text("model_name", "model specification (conf/models)", src),
            text("model_label", "the specification in plain words (its label in conf/models)", "gold.model_runs"),
            text("term", "regressor", src),
            text("term_label", "the regressor in plain words (report.labels.terms)", "configuration"),
            decimal("estimate", 6, "log points", "coefficient", src),
            decimal("std_error", 6, "log points", "standard error (convention in se_type, se_convention)", src),
            decimal("t_value", 3, "", "estimate / std_error", src),
            decimal("p_value", 4, "", "two-sided p-value from the t distribution with df", src),
            decimal("ci_low", 6, "log points", "lower end of the 95% confidence interval", src),
            decimal("ci_high", 6, "log points", "upper end of the 95% confidence interval", src),
            decimal("df", 0, "", "degrees of freedom of the t distribution used", src),
            text("se_type", "classical, HC1, cluster:<column>[+<column>] or driscoll-kraay:<time>:L=<lag>", src),
            text("se_label", "the standard errors in plain words", "se_type, report.labels.columns"),
            text("se_convention", "small-sample factor and what K counts", src),
            decimal("p_value_wcr", 4, "", "wild cluster restricted bootstrap p-value of H0: coefficient = 0 "
                + "(empty: not bootstrapped)", src),
            decimal("ci_wcr_low", 6, "log points", "lower end of the 95% interval by inverting the bootstrap test",
                src),
            decimal("ci_wcr_high", 6, "log points", "upper end of that interval", src),
            text("bootstrap", "how the bootstrap drew: wcr:<weights>:enumerated:<2^G> or "
                + "wcr:<weights>:sampled:<draws>:seed=<seed>", src),
            integer("n_obs", "region-years", "observations used", "gold.model_runs"),
            integer("n_clusters", "clusters", "clusters of the cluster-robust SE", "gold.model_runs"),
            text("run_id", "model run id (gold.model_runs)", src)));
  }

  private static ReportTable runs(ReportData d) {
    String src = "gold.model_runs";
    return table("model_runs", "Model runs", "The latest run of every model specification, with its sample.",
        d.runs(), List.of(
            text("model_name", "model specification", src),
            text("label", "the specification in plain words", src),
            text("description", "what the specification is for", src),
            text("formula", "response ~ regressors", src),
            text("fixed_effects", "absorbed fixed effects", src),
            text("cluster", "cluster variable of the SE", src),
            text("se", "standard-error type requested", src),
            integer("n_input", "rows", "rows of the input table", src),
            integer("n_dropped_missing", "rows", "rows dropped for missing values", src),
            integer("n_dropped_singletons", "rows", "singleton rows dropped", src),
            integer("n_obs", "rows", "observations used", src),
            integer("n_clusters", "clusters", "clusters", src),
            decimal("r2", 4, "", "R-squared on the response", src),
            decimal("within_r2", 4, "", "within R-squared (fixed-effects models)", src),
            decimal("rmse", 5, "log points", "root mean squared residual", src),
            text("input", "input table", src),
            text("input_version", "Delta version of the input", src),
            text("code_version", "version of this software", src),
            text("fitted_at", "time of the fit (UTC)", src),
            text("warnings", "warnings of the fit", src),
            text("run_id", "model run id", src)));
  }

  private static ReportTable panel(ReportData d) {
    return table("analysis_panel", "Analysis panel", "One row per region and year used by the models.", d.panel(),
        List.of(
            text("region_code", "NUTS region code", PANEL),
            text("region_name", "region name", "NUTS classification"),
            text("country", "country code", PANEL),
            integer("year", "", "reference year", PANEL),
            decimal("learning_rate", 1, PCT, "participation in education and training, last 4 weeks", PANEL),
            text("learning_source", "official:<dataset> or microdata:<survey>", PANEL),
            text("learning_flag", "Eurostat flag of the official value", PANEL),
            decimal("learning_rate_microdata", 1, PCT, "survey estimate", RATES)
                .qualifiedBy("learning_rate_microdata_reliability"),
            decimal("learning_rate_microdata_se", 2, "percentage points", "its standard error", RATES)
                .qualifiedBy("learning_rate_microdata_reliability"),
            decimal("survey_ci_low", 1, PCT, "lower end of its 95% interval", RATES)
                .qualifiedBy("learning_rate_microdata_reliability"),
            decimal("survey_ci_high", 1, PCT, "upper end of its 95% interval", RATES)
                .qualifiedBy("learning_rate_microdata_reliability"),
            text("learning_rate_microdata_reliability", "ok, low or suppressed (EU-LFS-style limits)", RATES),
            decimal("productivity_eur", 0, "EUR per person employed", "GDP per person employed", PANEL),
            decimal("log_productivity_eur", 4, "log EUR", "its natural logarithm", PANEL),
            text("learning_city_names", "learning cities in the region", "silver.learning_city_registry"),
            integer("learning_city_since", "", "year the first of them joined", "silver.learning_city_registry")));
  }

  private static ReportTable profiles(ReportData d) {
    String src = PANEL + " (latest year of each region)";
    return table("region_profiles", "Region profiles", "One row per region at its latest year with a learning "
        + "rate: its rank among the regions of its country and among regions of similar productivity.",
        d.profiles(), List.of(
            text("region_code", "NUTS region code", PANEL),
            text("region_name", "region name", "NUTS classification"),
            text("country", "country code", PANEL),
            integer("year", "", "latest year with a learning rate", src),
            decimal("learning_rate", 1, PCT, "learning rate that year", src),
            text("learning_flag", "Eurostat flag", src),
            text("learning_source", "official:<dataset> or microdata:<survey>", src),
            text("learning_rate_microdata_reliability", "reliability of the survey estimate", RATES),
            decimal("productivity_eur", 0, "EUR per person employed", "productivity that year", src),
            integer("rank_in_country", "rank", "rank by learning rate among the country's regions (1 = highest)", src),
            integer("regions_in_country", "regions", "regions of the country that year", src),
            integer("peer_group", "group", "productivity group (1 = lowest) among report.peer-groups groups", src),
            integer("rank_among_peers", "rank", "rank by learning rate within the productivity group", src),
            integer("peers", "regions", "regions in the productivity group", src),
            text("learning_city_names", "learning cities in the region", "silver.learning_city_registry"),
            integer("learning_city_since", "", "year the first of them joined", "silver.learning_city_registry")));
  }

  private static ReportTable rates(ReportData d) {
    return table("learning_rates", "Learning rates from survey microdata", "Participation in formal or non-formal "
        + "education and training (measure any), weighted, with design-based uncertainty. Suppressed cells have no "
        + "value and no count. Formal, non-formal and informal learning: gold.learning_rates.", d.learningRates(),
            List.of(
            text("survey", "survey", RATES),
            text("region_code", "region or country code", RATES),
            integer("nuts_level", "", "NUTS level (0 = country)", RATES),
            integer("year", "", "survey year", RATES),
            text("breakdown", "total, sex, age_band, education_level or labour_status", RATES),
            text("breakdown_value", "the group", RATES),
            integer("n", "respondents", "unweighted respondents", RATES).qualifiedBy("reliability"),
            decimal("rate", 2, PCT, "weighted participation rate", RATES).qualifiedBy("reliability"),
            decimal("se", 3, "percentage points", "Taylor-linearised standard error", RATES).qualifiedBy("reliability"),
            decimal("ci_low", 2, "percent", "95% interval, lower end (Wilson, effective n, t with design df)", RATES)
                .qualifiedBy("reliability"),
            decimal("ci_high", 2, "percent", "95% interval, upper end", RATES).qualifiedBy("reliability"),
            decimal("deff", 2, "ratio", "design effect", RATES).qualifiedBy("reliability"),
            integer("design_df", "", "design degrees of freedom", RATES).qualifiedBy("reliability"),
            text("reliability", "ok, low (below limit B) or suppressed (below limit A)", RATES),
            text("method", "variance method", RATES),
            text("ci_method", "interval method", RATES)));
  }

  /**
   * The tables of tables.xlsx: the same as the CSVs, except that the survey rates keep their region totals only
   * (sheet learning_rates_totals). Every breakdown of 292 regions x 20 years is 112,607 rows, which a
   * spreadsheet reader cannot use and which took the workbook from 3.5 s to 9.9 s (bench/report.sh); they are in
   * csv/learning_rates.csv.
   */
  static List<ReportTable> forWorkbook(List<ReportTable> tables) {
    List<ReportTable> out = new ArrayList<>();
    for (ReportTable t : tables) {
      if (!t.name().equals("learning_rates")) {
        out.add(t);
        continue;
      }
      int breakdown = t.columnIndex("breakdown");
      List<Object[]> totals = t.rows().stream().filter(r -> "total".equals(r[breakdown])).toList();
      out.add(new ReportTable("learning_rates_totals", t.title() + ", region totals", t.description()
          + " Region totals only; every breakdown (sex, age band, education, labour status) is in "
          + "csv/learning_rates.csv.", t.columns(), totals));
    }
    return out;
  }

  /** A table whose columns are read by name from Spark rows; booleans become yes/no, timestamps text. */
  static ReportTable table(String name, String title, String description, List<Row> rows, List<ReportColumn> cols) {
    List<Object[]> values = new ArrayList<>(rows.size());
    for (Row r : rows) {
      List<String> fields = Arrays.asList(r.schema().fieldNames());
      Object[] v = new Object[cols.size()];
      for (int i = 0; i < cols.size(); i++) {
        ReportColumn c = cols.get(i);
        int at = fields.indexOf(c.name());
        v[i] = at < 0 || r.isNullAt(at) ? null : value(r.get(at), c);
      }
      values.add(v);
    }
    return new ReportTable(name, title, description, cols, values);
  }

  private static Object value(Object v, ReportColumn c) {
    return switch (c.type()) {
      case INTEGER -> ((Number) v).longValue();
      case DECIMAL -> {
        double x = ((Number) v).doubleValue();
        yield Double.isFinite(x) ? x : null;
      }
      case TEXT -> v instanceof Boolean b ? (b ? "yes" : "no")
          : c.name().equals("source_file") ? fileName(v.toString()) : v.toString();
    };
  }

  /**
   * A source as the reader should see it: a source name relative to the input directory stays whole (its folder is
   * the vintage, {@code eurostat_2024/trng_lfse_04.tsv}); an absolute path or URI is cut to its file name, since
   * local directories mean nothing to a reader of the report.
   */
  static String fileName(String path) {
    if (!path.startsWith("/") && !path.contains(":")) {
      return path;
    }
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
