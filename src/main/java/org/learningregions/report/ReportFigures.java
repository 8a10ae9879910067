package org.learningregions.report;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.jfree.chart.JFreeChart;

/**
 * The report's four charts, built from {@link ReportData} with {@link ReportCharts}: learning vs productivity,
 * trends by country, every model's learning coefficient with its interval, and the distribution of regional
 * learning rates by reliability. Each is drawn once as inline SVG (HTML) and as an image (PDF) from the same chart.
 */
final class ReportFigures {
  static final int WIDTH = 760;
  static final int HEIGHT = 420;

  /** A chart with its title, caption and SVG rendering. */
  record Figure(String id, String title, String caption, JFreeChart chart, String svg) {}

  private ReportFigures() {}

  static List<Figure> of(ReportData d, String headlineTerm) {
    List<Figure> out = new ArrayList<>();
    add(out, "scatter", "Learning and productivity", "Each point is a region in its latest year with a learning rate. "
        + "The line is a descriptive least-squares fit across regions, not the model estimate: regions differ in many "
        + "ways at once. Low-reliability values are drawn differently.",
        ReportCharts.scatter(points(d), "Adults in education and training (% of 25-64)",
            "Output per person employed (log EUR)"));
    add(out, "trends", "Learning rates by country", "Mean of the regional learning rates of each country and year "
        + "(unweighted across regions).", ReportCharts.trends(trends(d)));
    add(out, "coefficients", "The learning coefficient in every model", "Point estimate and 95% confidence interval "
        + "of " + headlineTerm + " (or the learning term) in each model specification, in log points; 0.01 is about "
        + "1% higher output per worker per percentage point. The pooled and region-only models are confounded by "
        + "common trends.", ReportCharts.coefficients(estimates(d, headlineTerm),
            "the learning rate, per percentage point"));
    add(out, "distribution", "How learning rates are distributed", "Regional learning rates in each region's latest "
        + "year, by reliability: survey cells below limit B and official values flagged u count as low reliability; "
        + "suppressed cells have no value and are not shown.", ReportCharts.distribution(cells(d), 2.0));
    return out;
  }

  private static void add(List<Figure> out, String id, String title, String caption, JFreeChart chart) {
    out.add(new Figure(id, title, caption, chart, ReportCharts.svg(chart, WIDTH, HEIGHT, "fig-" + id)));
  }

  private static List<ReportCharts.Point> points(ReportData d) {
    List<ReportCharts.Point> out = new ArrayList<>();
    for (Row p : d.profiles()) {
      Double rate = p.getAs("learning_rate");
      Double productivity = p.getAs("productivity_eur");
      if (rate != null && productivity != null && productivity > 0) {
        out.add(new ReportCharts.Point(p.getAs("region_code"), p.getAs("country"), rate, Math.log(productivity),
            isLow(p)));
      }
    }
    return out;
  }

  private static List<ReportCharts.CountryYear> trends(ReportData d) {
    List<ReportCharts.CountryYear> out = new ArrayList<>();
    for (Row r : d.countryTrends()) {
      out.add(new ReportCharts.CountryYear(r.getAs("country"), r.<Integer>getAs("year"),
          r.<Double>getAs("mean_learning_rate")));
    }
    return out;
  }

  /** The headline term of every model, or its contemporaneous learning term when a model has no lag. */
  private static List<ReportCharts.Estimate> estimates(ReportData d, String headlineTerm) {
    List<ReportCharts.Estimate> out = new ArrayList<>();
    for (Row r : d.runs()) {
      String model = r.getAs("model_name");
      Row best = null;
      for (Row c : d.coefficients()) {
        String term = c.getAs("term");
        if (model.equals(c.getAs("model_name")) && (term.equals(headlineTerm)
            || (best == null && term.startsWith("learning_rate")))) {
          best = c;
        }
      }
      if (best != null) {
        out.add(new ReportCharts.Estimate(model + " (" + best.getAs("term") + ")", best.<Double>getAs("estimate"),
            best.<Double>getAs("ci_low"), best.<Double>getAs("ci_high")));
      }
    }
    return out;
  }

  private static List<ReportCharts.RateCell> cells(ReportData d) {
    List<ReportCharts.RateCell> out = new ArrayList<>();
    for (Row p : d.profiles()) {
      Double rate = p.getAs("learning_rate");
      if (rate != null) {
        String source = p.getAs("learning_source");
        boolean official = source != null && source.startsWith("official");
        out.add(new ReportCharts.RateCell(rate, isLow(p) ? "low" : official || p.getAs(
            "learning_rate_microdata_reliability") != null ? "reliable" : null));
      }
    }
    return out;
  }

  /** Low reliability of the learning rate a row uses: a survey cell below limit B, or an official value flagged u. */
  static boolean isLow(Row p) {
    return isLow(p.getAs("learning_source"), p.getAs("learning_flag"), p.getAs("learning_rate_microdata_reliability"));
  }

  static boolean isLow(String source, String flag, String reliability) {
    boolean fromSurvey = source != null && source.startsWith("microdata");
    return fromSurvey ? ReportTable.LOW.equals(reliability) : flag != null && flag.contains("u");
  }
}
