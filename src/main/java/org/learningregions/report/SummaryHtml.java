package org.learningregions.report;

import static org.learningregions.report.Html.escape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Renders summary.html: one self-contained page (inline CSS, inline SVG charts, one small inline script for the
 * region filter; nothing is fetched from any server) that reads on a phone and prints. Every text that comes from
 * data is escaped with {@link Html#escape}.
 */
final class SummaryHtml {
  private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:62rem;margin:0 auto;padding:1rem;
      color:#1b1b1b;line-height:1.45}h1{font-size:1.6rem}
      h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
      table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #ddd;
      padding:.25rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
      td.n{text-align:right;font-variant-numeric:tabular-nums}
      table.grid{width:auto;font-size:.7rem}table.grid td,table.grid th{padding:0 .15rem;text-align:center}
      td.in{color:#1f5f99}td.out{color:#b07d00}
      .headline{background:#eef5ff;border-left:4px solid #2a6ebb;padding:.75rem 1rem;font-size:1.15rem;font-weight:600}
      .note{color:#555;font-size:.9rem}.scroll{overflow-x:auto}figure{margin:1rem 0}
      figure svg{max-width:100%;height:auto}
      figcaption{color:#555;font-size:.85rem}.sup{color:#777;font-style:italic}.low{background:#fff4c2}
      details.profile{border:1px solid #ddd;border-radius:4px;margin:.3rem 0;padding:.2rem .6rem}
      details.profile summary{cursor:pointer}input[type=search]{width:100%;font-size:1rem;padding:.4rem;margin:.5rem 0;
      box-sizing:border-box}.bar{display:inline-block;height:.6rem;background:#2a6ebb;margin-left:.3rem}
      @media print{.scroll{overflow:visible}body{max-width:none}details.profile{break-inside:avoid}
      input[type=search]{display:none}}""";
  /** Written without '&' and '<' so that the page stays well-formed XML as well as HTML. */
  private static final String FILTER_SCRIPT = "document.getElementById('region-filter').addEventListener('input',"
      + "function(e){var q=e.target.value.toLowerCase();document.querySelectorAll('details.profile').forEach("
      + "function(p){p.hidden=(q==='')?false:(p.getAttribute('data-k').indexOf(q)===-1);});});";

  /** What the page needs besides the data. */
  record Settings(String runId, String headlineModel, String headlineTerm, int limitA, int limitB, int peerGroups,
      ReportText.HeadlineInference inference) {}

  private final Settings settings;

  SummaryHtml(Settings settings) {
    this.settings = settings;
  }

  String render(ReportData d, List<ReportTable> tables, List<ReportFigures.Figure> figures) {
    StringBuilder h = new StringBuilder(256 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Adult learning and regional productivity</title><style>").append(CSS)
        .append("</style></head><body>\n<h1>").append(escape(ReportText.QUESTION)).append("</h1>\n");
    h.append("<p class=\"note\">Report of run ").append(escape(settings.runId()))
        .append(", analysis panel Delta version ")
        .append(d.panelVersion()).append(". Tables: tables.xlsx and csv/; the same summary as summary.pdf.</p>\n");
    ReportText.Headline headline = ReportText.headline(d, settings.headlineModel(), settings.headlineTerm());
    for (ReportText.Paragraph p : ReportText.firstPage(d, headline, settings.headlineModel(),
        settings.headlineTerm(), settings.inference())) {
      h.append(p.emphasis() ? "<p class=\"headline\">" : "<p>").append(escape(p.text())).append("</p>\n");
    }
    h.append("<h2>Maps and charts</h2>\n");
    for (ReportFigures.Figure f : figures) {
      h.append("<figure id=\"").append(f.id()).append("\">").append(f.svg()).append("<figcaption><strong>")
          .append(escape(f.title())).append(".</strong> ").append(escape(f.caption()))
          .append("</figcaption></figure>\n");
    }
    models(h, d);
    inference(h, d);
    coverage(h, d);
    profiles(h, d);
    cities(h, d);
    methods(h, d, tables);
    h.append("<script>").append(FILTER_SCRIPT).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static void models(StringBuilder h, ReportData d) {
    h.append("<h2>Models</h2>\n<p>Each row is one specification fitted on the analysis panel; the learning term is the "
        + "regional participation rate in education and training (percent of adults 25-64). Estimates are in log "
        + "points: 0.01 is about 1% higher productivity per percentage point.</p>\n<div class=\"scroll\"><table><thead>"
        + "<tr><th>model</th><th>term</th><th>estimate</th><th>std. error</th><th>95% CI</th><th>p</th><th>SE type</th>"
        + "<th>N</th><th>clusters</th></tr></thead><tbody>\n");
    for (Row c : d.coefficients()) {
      h.append("<tr><td>").append(escape(c.getAs("model_name"))).append("</td><td>").append(escape(c.getAs("term")))
          .append("</td>").append(num(c.getAs("estimate"), 5)).append(num(c.getAs("std_error"), 5))
          .append("<td class=\"n\">").append(fmt(c.getAs("ci_low"), 5)).append(" to ")
              .append(fmt(c.getAs("ci_high"), 5))
          .append("</td><td class=\"n\">").append(pValue(c.getAs("p_value"))).append("</td><td>")
          .append(escape(c.getAs("se_type"))).append("</td><td class=\"n\">").append(escape(c.getAs("n_obs")))
          .append("</td><td class=\"n\">").append(escape(c.getAs("n_clusters"))).append("</td></tr>\n");
    }
    h.append("</tbody></table></div>\n");
  }

  /** The headline under each configured inference, side by side (the first page says it in words). */
  private void inference(StringBuilder h, ReportData d) {
    List<ReportText.InferenceRow> rows = ReportText.inferenceRows(d, settings.inference(), settings.headlineTerm());
    if (rows.isEmpty()) {
      return;
    }
    h.append("<h2>How sure are we</h2>\n<p>The headline estimate of ").append(escape(settings.headlineTerm()))
        .append(" with its 95% interval and p-value under each way of computing its uncertainty.</p>\n")
        .append("<div class=\"scroll\"><table><thead><tr><th>model</th><th>inference</th><th>estimate</th>")
        .append("<th>95% interval</th><th>p</th></tr></thead><tbody>\n");
    for (ReportText.InferenceRow r : rows) {
      h.append("<tr><td>").append(escape(r.model())).append("</td><td>").append(escape(r.method()))
          .append("</td>").append(num(r.estimate(), 5)).append("<td class=\"n\">").append(fmt(r.low(), 5))
          .append(" to ").append(fmt(r.high(), 5)).append("</td><td class=\"n\">").append(pValue(r.p()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></div>\n");
  }

  private void coverage(StringBuilder h, ReportData d) {
    h.append("<h2>Data and coverage</h2>\n<table><thead><tr><th>country</th><th>regions</th><th>years</th></tr></thead>"
        + "<tbody>\n");
    for (Row r : d.countries()) {
      h.append("<tr><td>").append(escape(r.getAs("country"))).append("</td><td class=\"n\">")
          .append(escape(r.getAs("regions"))).append("</td><td>").append(escape(r.getAs("first_year")))
              .append("&ndash;")
          .append(escape(r.getAs("last_year"))).append("</td></tr>\n");
    }
    h.append("</tbody></table>\n<p>Sources (silver.regional_indicator) and their vintage in this lakehouse:</p>"
        + "<div class=\"scroll\"><table><thead><tr><th>dataset</th><th>file</th><th>observations</th><th>years</th>"
        + "<th>ingest run</th></tr></thead><tbody>\n");
    for (Row r : d.sources()) {
      h.append("<tr><td>").append(escape(r.getAs("source_dataset"))).append("</td><td>")
          .append(escape(ReportTables.fileName(r.getAs("source_file")))).append("</td><td class=\"n\">")
          .append(escape(r.getAs("observations"))).append("</td><td>").append(escape(r.getAs("first_year")))
          .append("&ndash;").append(escape(r.getAs("last_year"))).append("</td><td>")
          .append(escape(r.getAs("ingest_run_id"))).append("</td></tr>\n");
    }
    h.append("</tbody></table></div>\n");
    if (!d.coverageReasons().isEmpty()) {
      h.append("<p>Region-years with some data but not in the panel, by reason (csv/panel_coverage.csv):</p><ul>\n");
      for (Row r : d.coverageReasons()) {
        h.append("<li>").append(escape(r.getAs("reason"))).append(": ").append(escape(r.getAs("region_years")))
            .append("</li>\n");
      }
      h.append("</ul>\n");
    }
    coverageGrid(h, d);
    if (!d.reliability().isEmpty()) {
      h.append("<p>Survey-based learning rates by reliability: cells with fewer than ").append(settings.limitA())
          .append(" respondents are suppressed (no value is published), fewer than ").append(settings.limitB())
          .append(" flagged low.</p><table><thead><tr><th>breakdown</th><th>reliability</th><th>cells</th></tr>"
              + "</thead><tbody>\n");
      for (Row r : d.reliability()) {
        h.append("<tr><td>").append(escape(r.getAs("breakdown"))).append("</td><td>")
            .append(escape(r.getAs("reliability"))).append("</td><td class=\"n\">").append(escape(r.getAs("cells")))
            .append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    Row cmp = d.comparison();
    if (cmp != null && cmp.getLong(0) > 0) {
      h.append("<p>Survey estimates against the official series (region totals, same region and year, ")
          .append(cmp.getLong(0)).append(" region-years; csv/learning_rate_comparison.csv): the official value lies "
              + "inside the survey's 95% interval in ").append(fmt(cmp.getDouble(1) * 100, 1))
          .append("% of them, and the two differ by ").append(fmt(cmp.getDouble(2), 2))
          .append(" percentage points on average.</p>\n");
    }
  }

  private void profiles(StringBuilder h, ReportData d) {
    h.append("<h2>Region profiles</h2>\n<p class=\"note\">Learning rate: percent of adults 25-64 in education or "
        + "training in the last 4 weeks; flags as published (b break in series, u low reliability, e estimated, p "
        + "provisional). Survey intervals are 95% intervals. Productivity: GDP per person employed, EUR at current "
        + "prices. Peers: the regions in the same of ").append(settings.peerGroups()).append(" productivity groups "
        + "that year. <span class=\"low\">Highlighted</span> values have low reliability.</p>\n")
        .append("<input type=\"search\" id=\"region-filter\" placeholder=\"Filter by region name, code or country\" "
            + "aria-label=\"Filter regions\">\n");
    Map<String, List<Row>> years = new LinkedHashMap<>();
    for (Row r : d.panel()) {
      years.computeIfAbsent(r.getAs("region_code"), k -> new ArrayList<>()).add(r);
    }
    for (Row p : d.profiles()) {
      String code = p.getAs("region_code");
      String name = p.getAs("region_name");
      String country = p.getAs("country");
      String key = (code + " " + (name == null ? "" : name) + " " + country).toLowerCase(Locale.ROOT);
      h.append("<details class=\"profile\" data-k=\"").append(escape(key)).append("\"><summary><strong>")
          .append(escape(code)).append("</strong> ").append(escape(name)).append(" (").append(escape(country))
          .append("): ").append(fmt(p.getAs("learning_rate"), 1)).append("% in ").append(escape(p.getAs("year")))
          .append("</summary>\n<p>Rank ").append(escape(p.getAs("rank_in_country"))).append(" of ")
          .append(escape(p.getAs("regions_in_country"))).append(" regions of ").append(escape(country))
          .append(" by learning rate; rank ").append(escape(p.getAs("rank_among_peers"))).append(" of ")
          .append(escape(p.getAs("peers"))).append(" regions of similar productivity (group ")
          .append(escape(p.getAs("peer_group"))).append(").");
      Object cities = p.getAs("learning_city_names");
      if (cities != null) {
        h.append(" Learning cities: ").append(escape(cities)).append(", since ")
            .append(escape(p.getAs("learning_city_since"))).append(".");
      }
      h.append("</p>\n<div class=\"scroll\"><table><thead><tr><th>year</th><th>learning rate</th><th>flag</th>"
          + "<th>source</th><th>survey estimate (95% interval)</th><th>productivity (EUR)</th></tr></thead><tbody>\n");
      for (Row y : years.getOrDefault(code, List.of())) {
        String flag = y.getAs("learning_flag");
        String reliability = y.getAs("learning_rate_microdata_reliability");
        boolean low = ReportFigures.isLow(y.getAs("learning_source"), flag, reliability);
        Double rate = y.getAs("learning_rate");
        h.append("<tr><td>").append(escape(y.getAs("year"))).append("</td><td class=\"n").append(low ? " low" : "")
            .append("\">").append(fmt(rate, 1)).append(rate == null ? "" : "<span class=\"bar\" style=\"width:")
            .append(rate == null ? "" : Math.round(Math.max(0, Math.min(100, rate)) * 2) + "px\"></span>")
            .append("</td><td>").append(escape(flag)).append("</td><td>").append(escape(y.getAs("learning_source")))
            .append("</td><td class=\"n").append(ReportTable.LOW.equals(reliability) ? " low" : "").append("\">");
        if (ReportTable.SUPPRESSED.equals(reliability)) {
          h.append("<span class=\"sup\">suppressed</span>");
        } else if (y.getAs("learning_rate_microdata") != null) {
          h.append(fmt(y.getAs("learning_rate_microdata"), 1)).append(" (").append(fmt(y.getAs("survey_ci_low"), 1))
              .append("&ndash;").append(fmt(y.getAs("survey_ci_high"), 1)).append(")");
        }
        h.append("</td><td class=\"n\">").append(fmt(y.getAs("productivity_eur"), 0)).append("</td></tr>\n");
      }
      h.append("</tbody></table></div></details>\n");
    }
  }

  /**
   * Coverage map as a tile grid: one row per region, one column per year; a filled tile is a region-year in the panel,
   * a hatched one has some data but is left out (hover: why), a blank one has no data at all.
   */
  static void coverageGrid(StringBuilder h, ReportData d) {
    java.util.TreeSet<Integer> years = new java.util.TreeSet<>();
    java.util.Map<String, String> names = new java.util.TreeMap<>();
    java.util.Map<String, String> out = new java.util.HashMap<>();
    java.util.Set<String> in = new java.util.HashSet<>();
    for (Row r : d.panel()) {
      years.add(r.<Integer>getAs("year"));
      names.put(r.<String>getAs("country") + " " + r.<String>getAs("region_code"), r.getAs("region_name"));
      in.add(r.<String>getAs("region_code") + "|" + r.getAs("year"));
    }
    for (Row r : d.coverage()) {
      years.add(r.<Integer>getAs("year"));
      names.putIfAbsent(r.<String>getAs("country") + " " + r.<String>getAs("region_code"), r.getAs("region_name"));
      out.put(r.<String>getAs("region_code") + "|" + r.getAs("year"), r.getAs("reasons"));
    }
    if (years.isEmpty() || years.size() > 80) {
      return;
    }
    h.append("<details><summary>Coverage map: which regions and years entered the panel (").append(names.size())
        .append(" regions)</summary><p class=\"note\">&#9632; in the panel; &#9633; some data but left out (hover for "
            + "why); blank: no data.</p><div class=\"scroll\"><table class=\"grid\"><thead><tr><th>region</th>");
    for (int y : years) {
      h.append("<th>").append(String.valueOf(y).substring(2)).append("</th>");
    }
    h.append("</tr></thead><tbody>\n");
    for (java.util.Map.Entry<String, String> e : names.entrySet()) {
      String code = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      h.append("<tr><th title=\"").append(escape(e.getValue())).append("\">").append(escape(code)).append("</th>");
      for (int y : years) {
        String key = code + "|" + y;
        if (in.contains(key)) {
          h.append("<td class=\"in\" title=\"").append(y).append(": in the panel\">&#9632;</td>");
        } else if (out.containsKey(key)) {
          h.append("<td class=\"out\" title=\"").append(y).append(": ").append(escape(out.get(key)))
              .append("\">&#9633;</td>");
        } else {
          h.append("<td></td>");
        }
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table></div></details>\n");
  }

  private static void cities(StringBuilder h, ReportData d) {
    h.append("<h2>Learning cities</h2>\n<p>Regions hosting a city of the learning-city registry, before and after "
        + "their first city joined, beside the other regions. Membership is not random: cities that join differ from "
        + "those that do not, and joining may follow rather than cause higher learning, so these means describe; "
        + "they do not evaluate.</p>\n<table><thead><tr><th>group</th><th>regions</th><th>region-years</th>"
        + "<th>mean learning rate (%)</th><th>mean productivity (EUR)</th></tr></thead><tbody>\n");
    for (Row r : d.cityComparison()) {
      h.append("<tr><td>").append(escape(r.getAs("group"))).append("</td><td class=\"n\">")
          .append(escape(r.getAs("regions"))).append("</td><td class=\"n\">").append(escape(r.getAs("region_years")))
          .append("</td>").append(num(r.getAs("mean_learning_rate"), 2))
              .append(num(r.getAs("mean_productivity_eur"), 0))
          .append("</tr>\n");
    }
    h.append("</tbody></table>\n");
    if (d.learningCities().isEmpty()) {
      return;
    }
    h.append("<div class=\"scroll\"><table><thead><tr><th>city</th><th>country</th><th>region code</th>"
        + "<th>in panel as</th><th>since</th></tr></thead><tbody>\n");
    for (Row r : d.learningCities()) {
      Object name = r.getAs("region_name");
      h.append("<tr><td>").append(escape(r.getAs("city"))).append("</td><td>").append(escape(r.getAs("country")))
          .append("</td><td>").append(escape(r.getAs("region_code"))).append(" (")
          .append(escape(r.getAs("region_scheme"))).append(")</td><td>")
          .append(name == null ? "not in the panel: " + escape(r.getAs("why_missing"))
              : escape(r.getAs("panel_region")) + " " + escape(name))
          .append("</td><td>").append(escape(r.getAs("year_joined"))).append("</td></tr>\n");
    }
    h.append("</tbody></table></div>\n");
  }

  private void methods(StringBuilder h, ReportData d, List<ReportTable> tables) {
    h.append("<h2>Methods and sources</h2>\n<ul>\n");
    for (Row r : d.runs()) {
      h.append("<li><code>").append(escape(r.getAs("model_name"))).append("</code>: ")
          .append(escape(r.getAs("formula")))
          .append("; fixed effects: ").append(escape(emptyAsNone(r.getAs("fixed_effects")))).append("; SE: ")
          .append(escape(r.getAs("se"))).append(r.getAs("cluster") == null ? "" : " by " + escape(r.getAs("cluster")))
          .append("; input ").append(escape(r.getAs("input"))).append(" ").append(escape(r.getAs("input_version")))
          .append("; model run ").append(escape(r.getAs("run_id"))).append("; N = ").append(escape(r.getAs("n_obs")))
          .append(", dropped for missing values ").append(escape(r.getAs("n_dropped_missing")))
          .append(", singletons dropped ").append(escape(r.getAs("n_dropped_singletons"))).append("</li>\n");
    }
    h.append("</ul>\n<p>Standard-error conventions, as stored with every coefficient:</p><ul>\n");
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    for (Row c : d.coefficients()) {
      String line = c.getAs("model_name") + ": " + c.getAs("se_type") + ", " + c.getAs("se_convention");
      if (seen.add(c.<String>getAs("model_name"))) {
        h.append("<li>").append(escape(line)).append("</li>\n");
      }
    }
    h.append("</ul>\n<p>Survey rates: Taylor linearisation under the stratified cluster design, Wilson "
        + "intervals at the effective sample size with the t value for the cell's design degrees of freedom; "
        + "reliability limits A = ")
        .append(settings.limitA()).append(" and B = ").append(settings.limitB()).append(" respondents. Report run ")
        .append(escape(settings.runId())).append("; analysis panel Delta version ").append(d.panelVersion())
        .append(". Formulas: docs/METHODS.md.</p>\n<h3>Codebook of the exported tables</h3>\n");
    for (ReportTable t : tables) {
      h.append("<h4>").append(escape(t.name())).append(": ").append(escape(t.title())).append("</h4><p class=\"note\">")
          .append(escape(t.description())).append("</p><div class=\"scroll\"><table><thead><tr><th>column</th>"
              + "<th>type</th><th>unit</th><th>meaning</th><th>source</th></tr></thead><tbody>\n");
      for (ReportColumn c : t.columns()) {
        h.append("<tr><td><code>").append(escape(c.name())).append("</code></td><td>")
            .append(c.type().name().toLowerCase(Locale.ROOT)).append("</td><td>").append(escape(c.unit()))
            .append("</td><td>").append(escape(c.meaning())).append(c.reliabilityColumn() == null ? ""
                : " (qualified by " + escape(c.reliabilityColumn()) + ")").append("</td><td>")
            .append(escape(c.source())).append("</td></tr>\n");
      }
      h.append("</tbody></table></div>\n");
    }
  }

  static String pValue(Double p) {
    if (p == null || p.isNaN()) {
      return "";
    }
    return p < 0.001 ? "&lt; 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  private static String num(Object v, int digits) {
    return "<td class=\"n\">" + fmt(v, digits) + "</td>";
  }

  static String fmt(Object v, int digits) {
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      return "";
    }
    return String.format(Locale.ROOT, "%,." + digits + "f", n.doubleValue());
  }

  private static String emptyAsNone(Object s) {
    return s == null || s.toString().isEmpty() ? "none" : s.toString();
  }
}
