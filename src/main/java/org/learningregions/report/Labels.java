package org.learningregions.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plain words for codes a policymaker should not have to read: model terms ({@code learning_rate_lag1}), the columns
 * standard errors are clustered by ({@code region_code}) and the stored SE types ({@code cluster:region_code},
 * {@code driscoll-kraay:year:L=2}). Terms and columns come from {@code report.labels}; a code without a label is
 * shown as it is. Model labels are part of each specification and read from gold.model_runs ({@code label}).
 *
 * @param terms label of each term
 * @param columns the noun of each column ("region" for region_code)
 * @param models label of each model specification, by name
 */
record Labels(Map<String, String> terms, Map<String, String> columns, Map<String, String> models) {
  static final Labels NONE = new Labels(Map.of(), Map.of(), Map.of());

  Labels {
    terms = Map.copyOf(terms);
    columns = Map.copyOf(columns);
    models = Map.copyOf(models);
  }

  /** These labels with the model labels recorded in gold.model_runs ({@code label}; empty or absent: the name). */
  Labels withModels(List<org.apache.spark.sql.Row> runs) {
    Map<String, String> m = new java.util.HashMap<>();
    for (org.apache.spark.sql.Row r : runs) {
      String label = ReportText.field(r, "label");
      if (label != null && !label.isBlank()) {
        m.put(r.getAs("model_name"), label);
      }
    }
    return new Labels(terms, columns, m);
  }

  /** A model's label, or its name when its specification has none. */
  String model(String name) {
    return name == null ? "" : models.getOrDefault(name, name);
  }

  String term(String code) {
    return code == null ? "" : terms.getOrDefault(code, code);
  }

  String column(String code) {
    return columns.getOrDefault(code, code);
  }

  /**
   * The se_type of gold.model_coefficients as a phrase that fits in a sentence: "clustered by region (264 clusters)",
   * "clustered two ways, by region and by year", "Driscoll-Kraay (regions correlated within each year, and over 2
   * years)", "robust to unequal error variance (HC1)"; tables capitalise it.
   */
  String se(String seType, Long clusters) {
    if (seType == null) {
      return "";
    }
    if (seType.startsWith("cluster:")) {
      List<String> cols = List.of(seType.substring(8).split("\\+"));
      return cols.size() == 2 ? "clustered two ways, by " + column(cols.get(0)) + " and by " + column(cols.get(1))
          : "clustered by " + column(cols.get(0)) + (clusters == null ? "" : " (" + clusters + " clusters)");
    }
    if (seType.startsWith("driscoll-kraay:")) {
      String[] parts = seType.split(":");
      String time = column(parts[1]);
      return "Driscoll-Kraay (regions correlated within each " + time + ", and over " + parts[2].substring(2) + " "
          + time + "s)";
    }
    return switch (seType.toLowerCase(Locale.ROOT)) {
      case "classical" -> "classical (constant error variance)";
      case "hc1" -> "robust to unequal error variance (HC1)";
      case "none" -> "none (prediction model)";
      default -> seType;
    };
  }

  /** How a wild cluster bootstrap drew, from its stored description ({@code wcr:<weights>:enumerated:<2^G>}...). */
  String bootstrap(String seType, Long clusters, String how) {
    String by = seType != null && seType.startsWith("cluster:") ? column(seType.substring(8).split("\\+")[0])
        : "cluster";
    String[] p = how.split(":");
    if (p.length > 1) {
      // The weights are named after people (Rademacher, Webb).
      p[1] = SummaryContext.capitalise(p[1]);
    }
    String draws = p.length > 3 && p[2].equals("enumerated") ? "all " + p[3] + " " + p[1] + " sign patterns"
        : (p.length > 3 ? p[3] + " " + p[1] + " draws" : how);
    return "wild cluster bootstrap by " + by + (clusters == null ? "" : " (" + clusters + " clusters)") + ", "
        + draws;
  }
}
