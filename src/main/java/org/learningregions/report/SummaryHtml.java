package org.learningregions.report;

import static org.learningregions.report.Html.escape;
import static org.learningregions.report.ReportStage.num;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.learningregions.config.AppConfig;

/**
 * Renders summary.html: one self-contained page (inline CSS, no scripts or requests to any server) with the
 * headline in plain words and its 95% interval, the models side by side, coverage, sources, reliability and region
 * table. Every text that comes from data is escaped.
 */
final class SummaryHtml {
  private static final String CSS = """
      body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;
      color:#1b1b1b;line-height:1.45}h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
      table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.25rem .4rem;
      text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}.headline{background:#eef5ff;border-left:4px solid
      #2a6ebb;padding:.75rem 1rem;font-size:1.1rem}.note{color:#555;font-size:.9rem}.scroll{overflow-x:auto}
      @media print{.scroll{overflow:visible}body{max-width:none}}""";

  private final AppConfig config;

  SummaryHtml(AppConfig config) {
    this.config = config;
  }

  String render(ReportStage.ReportData d, String runId) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Adult learning and regional productivity</title><style>").append(CSS).append("</style></head><body>\n");
    h.append("<h1>Does more adult learning go with higher productivity?</h1>\n");
    h.append("<p class=\"note\">Report of run ").append(escape(runId)).append(", analysis panel Delta version ")
        .append(d.panelVersion()).append(".</p>\n");
    headline(h, d);
    h.append("<h2>Models</h2>\n<p>Each row is one specification fitted on the analysis panel; the learning term is the "
        + "regional participation rate in education and training (percent of adults 25-64).</p>\n");
    models(h, d);
    coverage(h, d);
    regions(h, d);
    cities(h, d);
    methods(h, d);
    h.append("</body></html>\n");
    return h.toString();
  }

  private void headline(StringBuilder h, ReportStage.ReportData d) {
    String model = config.string("models.headline-model");
    String term = config.string("models.headline-term");
    List<Row> rows = d.coefficients().filter(d.coefficients().col("model_name").equalTo(model)
        .and(d.coefficients().col("term").equalTo(term))).collectAsList();
    if (rows.isEmpty()) {
      h.append("<p class=\"headline\">No estimate for ").append(escape(term)).append(" in model ").append(escape(model))
          .append(" yet.</p>\n");
      return;
    }
    Row c = rows.get(0);
    double b = c.getAs("estimate");
    double lo = c.getAs("ci_low");
    double hi = c.getAs("ci_high");
    h.append("<p class=\"headline\">A region with 1 percentage point more adults in education and training (a year "
        + "earlier) has on average <strong>").append(pct(b)).append("</strong> higher output per person employed, "
        + "95% interval <strong>").append(pct(lo)).append(" to ").append(pct(hi)).append("</strong>.</p>\n");
    boolean excludesZero = lo > 0 || hi < 0;
    h.append("<p>This compares each region with itself over time and removes changes common to all regions in a year "
        + "(two-way fixed effects, model <code>").append(escape(model)).append("</code>). It is an <strong>association"
        + "</strong>, not proof that learning causes higher productivity: regions that invest in skills may differ in "
        + "ways the model does not see. ")
        .append(excludesZero ? "The interval excludes zero, so the data are hard to reconcile with no association."
            : "The interval includes zero: the data are consistent with no association.")
        .append("</p>\n<p>What would change this conclusion: a different result when learning is measured from survey "
            + "microdata instead of the official series, when low-reliability values are excluded, with longer lags, "
            + "or when revised GDP and employment data arrive. The models table below shows how much the estimate moves "
            + "between specifications.</p>\n");
    Row f = d.panelFacts();
    h.append("<p>Coverage: ").append(f.getAs("rows").toString()).append(" region-years, ").append(f.getAs("regions").toString())
        .append(" regions in ").append(f.getAs("countries").toString()).append(" countries, ")
        .append(f.getAs("first_year").toString()).append("&ndash;").append(f.getAs("last_year").toString()).append(".</p>\n");
  }

  static String pValue(Double p) {
    if (p == null || p.isNaN()) {
      return "";
    }
    return p < 0.001 ? "&lt; 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  private static String pct(double logPoints) {
    return String.format(Locale.ROOT, "%.2f%%", (Math.exp(logPoints) - 1) * 100);
  }

  private void models(StringBuilder h, ReportStage.ReportData d) {
    h.append("<div class=\"scroll\"><table><thead><tr><th>model</th><th>term</th><th>estimate</th><th>std. error</th>"
        + "<th>95% CI</th><th>p</th><th>SE type</th><th>N</th><th>clusters</th></tr></thead><tbody>\n");
    List<Row> coefs = d.coefficients().join(d.runs().select("run_id", "n_obs", "n_clusters"), "run_id")
        .orderBy("model_name", "term").collectAsList();
    for (Row c : coefs) {
      h.append("<tr><td>").append(escape(c.getAs("model_name"))).append("</td><td>").append(escape(c.getAs("term")))
          .append("</td><td class=\"n\">").append(num(c.getAs("estimate"), 5)).append("</td><td class=\"n\">")
          .append(num(c.getAs("std_error"), 5)).append("</td><td class=\"n\">").append(num(c.getAs("ci_low"), 5))
          .append(" to ").append(num(c.getAs("ci_high"), 5)).append("</td><td class=\"n\">")
          .append(pValue(c.getAs("p_value"))).append("</td><td>")
          .append(escape(c.getAs("se_type"))).append("</td><td class=\"n\">").append(escape(c.getAs("n_obs")))
          .append("</td><td class=\"n\">").append(escape(c.getAs("n_clusters"))).append("</td></tr>\n");
    }
    h.append("</tbody></table></div>\n");
  }

  private void coverage(StringBuilder h, ReportStage.ReportData d) {
    h.append("<h2>Data and coverage</h2>\n<table><thead><tr><th>country</th><th>regions</th><th>years</th></tr></thead><tbody>\n");
    for (Row r : d.countries()) {
      h.append("<tr><td>").append(escape(r.getAs("country"))).append("</td><td class=\"n\">").append(escape(r.getAs("regions")))
          .append("</td><td>").append(escape(r.getAs("first_year"))).append("&ndash;").append(escape(r.getAs("last_year")))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n<p>Sources (silver.regional_indicator):</p><table><thead><tr><th>dataset</th><th>file</th>"
        + "<th>observations</th><th>years</th></tr></thead><tbody>\n");
    for (Row r : d.sources()) {
      h.append("<tr><td>").append(escape(r.getAs("source_dataset"))).append("</td><td>").append(escape(r.getAs("source_file")))
          .append("</td><td class=\"n\">").append(escape(r.getAs("observations"))).append("</td><td>")
          .append(escape(r.getAs("first_year"))).append("&ndash;").append(escape(r.getAs("last_year"))).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
    if (!d.coverageReasons().isEmpty()) {
      h.append("<p>Region-years with some data but not in the panel, by reason (see csv/panel_coverage.csv):</p><ul>\n");
      for (Row r : d.coverageReasons()) {
        h.append("<li>").append(escape(r.getAs("reason"))).append(": ").append(escape(r.getAs("region_years"))).append("</li>\n");
      }
      h.append("</ul>\n");
    }
    if (!d.reliability().isEmpty()) {
      h.append("<p>Survey-based learning rates (any education or training) by reliability: cells with fewer than ")
          .append(config.integer("aggregate.reliability.limit-a")).append(" respondents are suppressed, fewer than ")
          .append(config.integer("aggregate.reliability.limit-b")).append(" flagged low.</p><table><thead><tr><th>breakdown</th>"
              + "<th>reliability</th><th>cells</th></tr></thead><tbody>\n");
      for (Row r : d.reliability()) {
        h.append("<tr><td>").append(escape(r.getAs("breakdown"))).append("</td><td>").append(escape(r.getAs("reliability")))
            .append("</td><td class=\"n\">").append(escape(r.getAs("cells"))).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    Row cmp = d.comparison();
    if (cmp != null && cmp.getLong(0) > 0) {
      h.append("<p>Survey estimates against the official series (region totals, same region and year, ")
          .append(cmp.getLong(0)).append(" region-years; csv/learning_rate_comparison.csv): the official value lies "
              + "inside the survey's 95% interval in ").append(num(cmp.getDouble(1) * 100, 1))
          .append("% of them, and the two differ by ").append(num(cmp.getDouble(2), 2))
          .append(" percentage points on average.</p>\n");
    }
  }

  private void regions(StringBuilder h, ReportStage.ReportData d) {
    h.append("<h2>Regions, latest year in the panel</h2>\n<p class=\"note\">Learning rate in percent of adults 25-64; "
        + "flags as published (b break in series, u low reliability, e estimated, p provisional). Productivity is GDP "
        + "per person employed in EUR at current prices.</p>\n<div class=\"scroll\"><table><thead><tr><th>region</th>"
        + "<th>name</th><th>year</th><th>learning rate</th><th>flag</th><th>source</th><th>productivity (EUR)</th>"
        + "<th>learning city</th></tr></thead><tbody>\n");
    for (Row r : d.latestByRegion()) {
      h.append("<tr><td>").append(escape(r.getAs("region_code"))).append("</td><td>").append(escape(r.getAs("region_name")))
          .append("</td><td>").append(escape(r.getAs("year"))).append("</td><td class=\"n\">")
          .append(num(r.getAs("learning_rate"), 1)).append("</td><td>").append(escape(r.getAs("learning_flag")))
          .append("</td><td>").append(escape(r.getAs("learning_source"))).append("</td><td class=\"n\">")
          .append(num(r.getAs("productivity_eur"), 0)).append("</td><td>").append(escape(r.getAs("learning_city_names")))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></div>\n");
  }

  private void cities(StringBuilder h, ReportStage.ReportData d) {
    if (d.learningCities().isEmpty()) {
      return;
    }
    h.append("<h2>Learning cities</h2>\n<p>Cities of the learning-city registry and whether their region is in the "
        + "panel. Membership is not random: cities that join differ from those that do not, so comparisons with other "
        + "regions describe, they do not evaluate.</p>\n<table><thead><tr><th>city</th><th>country</th><th>region code</th>"
        + "<th>in panel as</th><th>since</th></tr></thead><tbody>\n");
    for (Row r : d.learningCities()) {
      Object name = r.getAs("region_name");
      h.append("<tr><td>").append(escape(r.getAs("city"))).append("</td><td>").append(escape(r.getAs("country")))
          .append("</td><td>").append(escape(r.getAs("region_code"))).append(" (").append(escape(r.getAs("region_scheme")))
          .append(")</td><td>").append(name == null ? "not in the data" : escape(name)).append("</td><td>")
          .append(escape(r.getAs("year_joined"))).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private void methods(StringBuilder h, ReportStage.ReportData d) {
    h.append("<h2>Methods</h2>\n<ul>\n");
    for (Row r : d.runs().orderBy("model_name").collectAsList()) {
      h.append("<li><code>").append(escape(r.getAs("model_name"))).append("</code>: ").append(escape(r.getAs("formula")))
          .append("; fixed effects: ").append(escape(emptyAsNone(r.getAs("fixed_effects")))).append("; SE: ")
          .append(escape(r.getAs("se"))).append(r.getAs("cluster") == null ? "" : " by " + escape(r.getAs("cluster")))
          .append("; input ").append(escape(r.getAs("input"))).append(" ").append(escape(r.getAs("input_version")))
          .append("; model run ").append(escape(r.getAs("run_id"))).append("; N = ").append(escape(r.getAs("n_obs")))
          .append(", dropped for missing values ").append(escape(r.getAs("n_dropped_missing")))
          .append(", singletons dropped ").append(escape(r.getAs("n_dropped_singletons"))).append("</li>\n");
    }
    h.append("</ul>\n<p>Standard-error conventions are stored with every coefficient (column se_convention in "
        + "model_coefficients.csv). Survey rates use Taylor linearisation under the stratified cluster design and Wilson "
        + "intervals at the effective sample size with the t value for the cell's design degrees of freedom; see "
        + "docs/METHODS.md.</p>\n");
  }

  private static String emptyAsNone(Object s) {
    return s == null || s.toString().isEmpty() ? "none" : s.toString();
  }
}
