package org.learningregions.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/**
 * The report's first page in plain words, written once for the HTML and the PDF: the question, the headline
 * estimate with its 95% interval as a percentage, that it is an association, the coverage and what would change the
 * conclusion. Plain text: each format escapes or encodes it itself.
 */
final class ReportText {
  static final String QUESTION = "Does more adult learning go with higher productivity?";

  /** The headline coefficient, or null when the headline model has not been fitted. */
  record Headline(String model, String term, double estimate, double ciLow, double ciHigh, long nObs,
      Long nClusters) {
    boolean excludesZero() {
      return ciLow > 0 || ciHigh < 0;
    }
  }

  /**
   * One paragraph; {@code emphasis} marks the headline sentence; {@code items}, when there are any, follow it as a
   * list (one specification or one kind of standard error each: a reader compares them line by line).
   */
  record Paragraph(String text, boolean emphasis, List<String> items) {
    Paragraph(String text, boolean emphasis) {
      this(text, emphasis, List.of());
    }
  }

  private ReportText() {}

  static Headline headline(ReportData d, String model, String term) {
    for (Row c : d.coefficients()) {
      if (model.equals(c.getAs("model_name")) && term.equals(c.getAs("term"))) {
        Object clusters = c.getAs("n_clusters");
        return new Headline(model, term, c.<Double>getAs("estimate"), c.<Double>getAs("ci_low"),
            c.<Double>getAs("ci_high"), c.<Long>getAs("n_obs"), clusters == null ? null : ((Number) clusters)
                .longValue());
      }
    }
    return null;
  }

  /** The estimate in log points as the percentage difference it stands for: exp(b) - 1. */
  static String percent(double logPoints) {
    return percentOf((Math.exp(logPoints) - 1) * 100);
  }

  /** The size of that difference, without its sign: for "0.07% lower". */
  static String percentMagnitude(double logPoints) {
    return percentOf(Math.abs(Math.exp(logPoints) - 1) * 100);
  }

  private static String percentOf(double pct) {
    // A value that rounds to zero is "0.00%", not "-0.00%".
    return String.format(Locale.ROOT, "%.2f%%", Math.abs(pct) < 0.005 ? 0.0 : pct);
  }

  /**
   * The specifications that show the headline under other inference (same model, other standard errors or a wild
   * bootstrap), and the one the conclusion rests on.
   */
  record HeadlineInference(List<String> models, String basis) {}

  /** The headline term under one way of computing its uncertainty; {@code method} is a phrase for a sentence. */
  record InferenceRow(String model, String label, String method, double estimate, double low, double high, Double p,
      boolean bootstrap) {}

  /**
   * Per configured specification with the headline term: its own interval (cluster-robust or Driscoll-Kraay) and,
   * when bootstrapped, the wild cluster bootstrap's, in the configured order.
   */
  static List<InferenceRow> inferenceRows(ReportData d, HeadlineInference inf, String term, Labels labels) {
    List<InferenceRow> out = new ArrayList<>();
    for (String m : inf.models()) {
      for (Row c : d.coefficients()) {
        if (!m.equals(c.getAs("model_name")) || !term.equals(c.getAs("term"))) {
          continue;
        }
        String se = c.getAs("se_type");
        Long clusters = c.getAs("n_clusters") == null ? null : ((Number) c.getAs("n_clusters")).longValue();
        out.add(new InferenceRow(m, labels.model(m), labels.se(se, clusters), c.getAs("estimate"), c.getAs("ci_low"),
            c.getAs("ci_high"), c.getAs("p_value"), false));
        String bootstrap = field(c, "bootstrap");
        if (bootstrap != null) {
          out.add(new InferenceRow(m, labels.model(m), labels.bootstrap(se, clusters, bootstrap), c.getAs("estimate"),
              field(c, "ci_wcr_low"), field(c, "ci_wcr_high"), field(c, "p_value_wcr"), true));
        }
      }
    }
    return out;
  }

  /** A column that tables written before it existed lack. */
  @SuppressWarnings("unchecked")
  static <T> T field(Row r, String name) {
    return java.util.Arrays.asList(r.schema().fieldNames()).contains(name) ? (T) r.getAs(name) : null;
  }

  /**
   * The inference paragraph: the one way of computing the headline's uncertainty the conclusion rests on, then every
   * configured way as a list, or null with fewer than two.
   */
  static Paragraph inference(ReportData d, HeadlineInference inf, String term, Labels labels) {
    List<InferenceRow> rows = inferenceRows(d, inf, term, labels);
    if (rows.size() < 2) {
      return null;
    }
    List<String> items = new ArrayList<>();
    InferenceRow basis = null;
    for (InferenceRow r : rows) {
      items.add(SummaryContext.capitalise(r.method()) + ": " + percent(r.low()) + " to " + percent(r.high())
          + (r.p() == null ? "" : String.format(Locale.ROOT, " (p = %.3f)", r.p())));
      if (r.model().equals(inf.basis()) && (basis == null || r.bootstrap())) {
        basis = r;
      }
    }
    String rests = basis == null ? "" : " The conclusion rests on the " + basis.method() + (basis.bootstrap()
        ? ": with few clusters the usual cluster-robust test rejects too often, and the bootstrap does not" : "")
        + "; by it the interval " + (basis.low() > 0 || basis.high() < 0 ? "excludes zero." : "includes zero, so the "
        + "data are consistent with no association.");
    return new Paragraph("How sure are we? Regions of one country move together and neighbouring regions share "
        + "labour markets, so the headline's 95% interval depends on how its uncertainty is computed." + rests
        + " The interval by each way of computing it:", false, items);
  }

  /** " Data: learning rates from …; GDP from …; employment from … (n region-years), … ." or "". */
  static String dataSentence(ReportData d) {
    List<String> parts = new ArrayList<>();
    for (String[] s : new String[][] {{"learning", "learning rates"}, {"gdp", "GDP"}, {"employment", "employment"}}) {
      List<Row> rows = d.sources(s[0]);
      if (!rows.isEmpty()) {
        parts.add(s[1] + " from " + (rows.size() == 1 ? rows.get(0).getString(1) : String.join(", ", rows.stream()
            .map(r -> r.getString(1) + " in " + r.getLong(2) + " region-years").toList())));
      }
    }
    return parts.isEmpty() ? "" : " Data: " + String.join("; ", parts) + ".";
  }

  static List<Paragraph> firstPage(ReportData d, Headline h, String model, String term, HeadlineInference inf,
      Labels labels) {
    List<Paragraph> out = new ArrayList<>();
    if (h == null) {
      out.add(new Paragraph("No estimate for " + labels.term(term) + " in model " + labels.model(model)
          + " yet: run the models (fit or "
          + "pipeline) before the report.", true));
    } else {
      String learningData = d.mainSource("learning");
      // "0.07% lower", not "-0.07% higher": the sign in words, the interval with its signs.
      out.add(new Paragraph("A region with 1 percentage point more adults in education and training (a year earlier) "
          + "has on average " + percentMagnitude(h.estimate()) + (h.estimate() < 0 ? " lower" : " higher")
          + " output per person employed, 95% interval " + percent(h.ciLow()) + " to " + percent(h.ciHigh())
          + (h.excludesZero() ? "" : ", which includes no difference at all")
          + (learningData == null ? "" : " (learning rates: " + learningData + ")") + ".", true));
      out.add(new Paragraph("This compares each region with itself over time and removes changes common to all "
          + "regions in a year (model \u201c" + labels.model(model) + "\u201d, " + h.nObs() + " region-years"
          + (h.nClusters() == null ? "" : ", standard errors clustered by region (" + h.nClusters() + " regions)")
          + "). It is an association, not proof that learning causes higher productivity: regions that invest in "
          + "skills may differ in ways the model does not see. "
          + (h.excludesZero() ? "The interval excludes zero, so the data are hard to reconcile with no association."
              : "The interval includes zero: the data are consistent with no association.")
          + dataSentence(d), false));
    }
    Paragraph inference = h == null ? null : inference(d, inf, term, labels);
    if (inference != null) {
      out.add(inference);
    }
    Paragraph robustness = robustness(d, h, model, term, inf.models(), labels);
    if (robustness != null) {
      out.add(robustness);
    }
    out.add(new Paragraph(coverage(d), false));
    out.add(new Paragraph("What would change this conclusion: a different result when learning is measured from "
        + "survey microdata instead of the official series, when low-reliability values are excluded, with longer "
        + "lags, or when revised GDP and employment data arrive. The coefficient chart shows how much the estimate "
        + "moves between model specifications.", false));
    return out;
  }

  /**
   * The same learning term in the other fitted specifications, side by side with the headline, and what leaving out
   * low-reliability rates does (model {@code <headline>_reliable}); long-difference models by their d_learning_rate.
   */
  static Paragraph robustness(ReportData d, Headline h, String model, String term, List<String> sameModel,
      Labels labels) {
    List<String> parts = new ArrayList<>();
    String reliable = null;
    for (Row c : d.coefficients()) {
      String m = c.getAs("model_name");
      String t = c.getAs("term");
      // The headline under other inference is not another specification (the inference paragraph shows it).
      if (m.equals(model) || sameModel.contains(m) || !(t.equals(term) || t.equals("d_learning_rate"))) {
        continue;
      }
      String est = String.format(Locale.ROOT, "%s: %s (95%% interval %s to %s, N = %d)", labels.model(m),
          percent(c.getAs("estimate")),
          percent(c.getAs("ci_low")), percent(c.getAs("ci_high")), c.<Long>getAs("n_obs"));
      parts.add(est);
      if (h != null && m.equals(model + "_reliable") && t.equals(term)) {
        reliable = String.format(Locale.ROOT, "Leaving out learning rates flagged as of low reliability (u) moves the "
            + "headline from %s to %s, on %d instead of %d region-years.", percent(h.estimate()),
            percent(c.getAs("estimate")), c.<Long>getAs("n_obs"), h.nObs());
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    String verdict = "";
    if (h != null) {
      int others = 0;
      int disagree = 0;
      for (Row c : d.coefficients()) {
        String m = c.getAs("model_name");
        if (m.equals(model) || sameModel.contains(m) || !c.getAs("term").equals(term) || m.startsWith("pooled")) {
          continue;
        }
        others++;
        double lo = c.getAs("ci_low");
        double hi = c.getAs("ci_high");
        if ((lo <= 0 && hi >= 0) || Math.signum(c.<Double>getAs("estimate")) != Math.signum(h.estimate())) {
          disagree++;
        }
      }
      if (others > 0) {
        verdict = disagree == 0
            ? "Every other fixed-effects specification points the same way with an interval that excludes zero. "
            : "The headline is not robust: in " + disagree + " of " + others + " other fixed-effects specifications "
                + "the interval includes zero or the sign differs, so the data do not settle the question. ";
      }
    }
    return new Paragraph((reliable == null ? "" : reliable + " ") + verdict
        + "The same association in the other specifications (percentage "
        + "difference in output per person employed per percentage point of learning; long differences: per "
        + "percentage point of change over the period):", false, parts);
  }

  static String coverage(ReportData d) {
    Row f = d.panelFacts();
    StringBuilder s = new StringBuilder("The data cover ").append(f.getAs("rows").toString()).append(" region-years: ")
        .append(f.getAs("regions").toString()).append(" regions in ").append(f.getAs("countries").toString())
        .append(" countries, ").append(String.valueOf(f.<Object>getAs("first_year"))).append("-")
        .append(String.valueOf(f.<Object>getAs("last_year"))).append(". Sources: ");
    List<String> parts = new ArrayList<>();
    for (Row r : d.sources()) {
      String run = r.getAs("ingest_run_id");
      parts.add(r.getAs("source_dataset") + " (" + r.getAs("first_year") + "-" + r.getAs("last_year")
          + (run == null || run.length() < 8 ? "" : ", ingested " + run.substring(0, 4) + "-" + run.substring(4, 6)
              + "-"
              + run.substring(6, 8)) + ")");
    }
    return s.append(String.join("; ", parts)).append(".").toString();
  }
}
