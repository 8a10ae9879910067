package org.learningregions.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * What the summary template ({@code report/summary.peb}) shows: the report's rows and records, codes with their
 * labels beside them, and the values a section derives (the coverage grid, the profiles' series, the index's
 * sentences). Escaping, and cleaning texts of control characters, is the template engine's job, not this one's.
 */
final class SummaryContext {
  /** What the page needs besides the data. */
  record Settings(String runId, String headlineModel, String headlineTerm, int limitA, int limitB, int peerGroups,
      ReportText.HeadlineInference inference, Labels labels, List<String> indexRegions,
      List<ReportSettings.Published> published) {}

  private SummaryContext() {}

  /** Each published estimate with this run's estimate of the headline term in the closest specification. */
  private static List<Map<String, Object>> published(ReportData d, Settings s) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ReportSettings.Published p : s.published()) {
      ReportText.Headline h = ReportText.headline(d, p.model(), s.headlineTerm());
      out.add(Map.of("paper", p, "model", s.labels().model(p.model()), "ours", h == null ? "not fitted in this run"
          : ReportText.percent(h.estimate()) + " per percentage point (95% interval " + ReportText.percent(h.ciLow())
              + " to " + ReportText.percent(h.ciHigh()) + ", " + h.nObs() + " region-years)"));
    }
    return out;
  }

  /**
   * The template's values. Rows and records go in as they are (the template reads a row's columns by name); Pebble
   * escapes every value it prints and cleans it of control characters ({@link SummaryDocument}).
   */
  static Map<String, Object> of(Settings s, ReportData d, List<ReportTable> tables, List<ReportFigures.Figure> figures,
      Map<String, String> locators) {
    Labels labels = s.labels();
    Map<String, Object> c = new HashMap<>();
    c.put("question", ReportText.QUESTION);
    c.put("runId", s.runId());
    c.put("panelVersion", d.panelVersion());
    ReportText.Headline headline = ReportText.headline(d, s.headlineModel(), s.headlineTerm());
    c.put("paragraphs", ReportText.firstPage(d, headline, s.headlineModel(), s.headlineTerm(), s.inference(),
        labels));
    c.put("figures", figures);
    c.put("coefficients", coefficients(d, labels));
    c.put("headlineTermLabel", labels.term(s.headlineTerm()));
    c.put("inference", ReportText.inferenceRows(d, s.inference(), s.headlineTerm(), labels));
    c.put("countries", d.countries());
    c.put("sources", maps(d.sources()).stream().peek(m -> m.computeIfPresent("source_file",
        (k, v) -> ReportTables.fileName(v.toString()))).toList());
    c.put("coverageReasons", d.coverageReasons());
    c.put("grid", grid(d));
    c.put("reliability", d.reliability());
    Row cmp = d.comparison();
    c.put("comparison", cmp == null || cmp.getLong(0) == 0 ? null : cmp);
    c.put("peerGroups", s.peerGroups());
    c.put("limitA", s.limitA());
    c.put("limitB", s.limitB());
    c.put("profiles", profiles(d, locators));
    c.put("cityComparison", d.cityComparison());
    c.put("cities", d.learningCities());
    c.put("runs", runs(d, labels));
    c.put("index", index(d, s.indexRegions()));
    c.put("published", published(d, s));
    Set<String> conventions = new LinkedHashSet<>();
    for (Row r : d.coefficients()) {
      conventions.add(labels.model(r.getAs("model_name")) + ": " + r.getAs("se_type") + ", "
          + r.getAs("se_convention"));
    }
    c.put("conventions", List.copyOf(conventions));
    c.put("tables", tables);
    return c;
  }

  /**
   * One model in the models table: its label, code, standard errors, N and clusters (null for none) once, then its
   * terms (coefficient rows with their labels); a table of nine columns did not fit a page.
   */
  record ModelRows(String name, String label, String seLabel, Object nObs, Object nClusters,
      List<Map<String, Object>> terms) {}

  /** The coefficients by model, in their order. */
  private static List<ModelRows> coefficients(ReportData d, Labels labels) {
    Map<String, ModelRows> models = new LinkedHashMap<>();
    for (Map<String, Object> m : maps(d.coefficients())) {
      m.put("term_label", labels.term((String) m.get("term")));
      models.computeIfAbsent((String) m.get("model_name"), name -> {
        Object clusters = m.get("n_clusters");
        // Driscoll-Kraay and HC1 rows record 0 clusters: none.
        return new ModelRows(name, labels.model(name), capitalise(labels.se((String) m.get("se_type"), null)),
            m.get("n_obs"), clusters instanceof Number k && k.longValue() == 0 ? null : clusters, new ArrayList<>());
      }).terms().add(m);
    }
    return List.copyOf(models.values());
  }

  private static List<Map<String, Object>> runs(ReportData d, Labels labels) {
    List<Map<String, Object>> out = maps(d.runs());
    for (Map<String, Object> m : out) {
      String model = (String) m.get("model_name");
      m.put("label", labels.model(model));
      Object fe = m.get("fixed_effects");
      m.put("fixed_effects", fe == null || fe.toString().isEmpty() ? "none" : fe);
      String se = String.valueOf(m.get("se"));
      Object cluster = m.get("cluster");
      m.put("se_label", se + (cluster == null ? "" : " by " + cluster));
    }
    return out;
  }

  /**
   * The index section: the method, a sentence per spotlight region ("ranks 5th of 240; between 3rd and 11th"), the
   * sensitivity of the ranks to each choice, and the full ranking; null without gold.learning_index.
   */
  private static Map<String, Object> index(ReportData d, List<String> spotlight) {
    if (d.learningIndex().isEmpty()) {
      return null;
    }
    Row first = d.learningIndex().get(0);
    int n = first.getAs("regions_ranked");
    List<Map<String, Object>> rows = new ArrayList<>();
    List<String> sentences = new ArrayList<>();
    for (Row r : d.learningIndex()) {
      Map<String, Object> m = map(r);
      long lo = Math.round(r.<Double>getAs("rank_p05"));
      long hi = Math.round(r.<Double>getAs("rank_p95"));
      m.put("interval", ordinal(lo) + " to " + ordinal(hi));
      Map<String, Double> pillars = r.getJavaMap(r.fieldIndex("pillar_scores"));
      m.put("pillars", pillars.entrySet().stream().map(e -> e.getKey() + " " + SummaryDocument.fmt(e.getValue(), 1))
          .reduce((a, b) -> a + "; " + b).orElse(""));
      rows.add(m);
      if (spotlight.contains(r.<String>getAs("region_code"))) {
        sentences.add(r.getAs("region_name") + " (" + r.getAs("region_code") + ") scores "
            + SummaryDocument.fmt(r.getAs("score"), 1) + " and ranks " + ordinal(r.<Integer>getAs("rank")) + " of "
            + n + " regions; built in the other ways the Monte Carlo tries, it ranks between " + ordinal(lo)
            + " and " + ordinal(hi) + " (90% of the draws).");
      }
    }
    return Map.of("year", first.getAs("year"), "method", first.getAs("method"), "regions", n, "draws",
        first.getAs("draws"), "spotlight", sentences, "rows", rows, "sensitivity", d.indexSensitivity());
  }

  /** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st. */
  static String ordinal(long n) {
    long tens = n % 100;
    String suffix = tens >= 11 && tens <= 13 ? "th" : switch ((int) (n % 10)) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }

  /** One map per region at its latest year, with its series by year and its locator map. */
  private static List<Map<String, Object>> profiles(ReportData d, Map<String, String> locators) {
    Map<String, List<Map<String, Object>>> years = new LinkedHashMap<>();
    for (Row y : d.panel()) {
      String flag = y.getAs("learning_flag");
      String reliability = y.getAs("learning_rate_microdata_reliability");
      Double rate = y.getAs("learning_rate");
      Map<String, Object> m = new HashMap<>();
      m.put("year", y.getAs("year"));
      m.put("rate", rate);
      m.put("low", ReportFigures.isLow(y.getAs("learning_source"), flag, reliability));
      m.put("bar", rate == null ? null : Math.round(Math.max(0, Math.min(100, rate)) * 2));
      m.put("flag", flag);
      m.put("source", y.getAs("learning_source"));
      m.put("suppressed", ReportTable.SUPPRESSED.equals(reliability));
      m.put("surveyLow", ReportTable.LOW.equals(reliability));
      m.put("survey", y.getAs("learning_rate_microdata"));
      m.put("ciLow", y.getAs("survey_ci_low"));
      m.put("ciHigh", y.getAs("survey_ci_high"));
      m.put("productivity", y.getAs("productivity_eur"));
      years.computeIfAbsent(y.getAs("region_code"), k -> new ArrayList<>()).add(m);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row p : d.profiles()) {
      Map<String, Object> m = map(p);
      String code = p.getAs("region_code");
      Object name = m.get("region_name");
      m.put("code", code);
      m.put("name", name);
      m.put("rate", p.getAs("learning_rate"));
      m.put("cities", m.get("learning_city_names"));
      m.put("since", m.get("learning_city_since"));
      m.put("key", (code + " " + (name == null ? "" : name) + " " + p.getAs("country")).toLowerCase(Locale.ROOT));
      m.put("locator", locators.get(code));
      m.put("years", years.getOrDefault(code, List.of()));
      out.add(m);
    }
    return out;
  }

  /**
   * The coverage grid: one row per region, one column per year (two digits); a cell is "in" the panel, "out" (some
   * data but left out, with the reasons as its title) or empty. None beyond 80 years.
   */
  private static Map<String, Object> grid(ReportData d) {
    TreeSet<Integer> years = new TreeSet<>();
    Map<String, String[]> regions = new TreeMap<>();
    Set<String> in = new HashSet<>();
    Map<String, String> out = new HashMap<>();
    for (Row r : d.panel()) {
      years.add(r.getAs("year"));
      regions.put(r.getAs("country") + " " + r.getAs("region_code"), new String[] {r.getAs("region_code"),
          r.getAs("region_name")});
      in.add(r.getAs("region_code") + "|" + r.getAs("year"));
    }
    for (Row r : d.coverage()) {
      years.add(r.getAs("year"));
      regions.putIfAbsent(r.getAs("country") + " " + r.getAs("region_code"), new String[] {r.getAs("region_code"),
          r.getAs("region_name")});
      out.put(r.getAs("region_code") + "|" + r.getAs("year"), r.getAs("reasons"));
    }
    if (years.isEmpty() || years.size() > 80) {
      return null;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String[] region : regions.values()) {
      List<Map<String, String>> cells = new ArrayList<>();
      for (int y : years) {
        String key = region[0] + "|" + y;
        cells.add(in.contains(key) ? Map.of("state", "in", "title", y + ": in the panel")
            : out.containsKey(key) ? Map.of("state", "out", "title", y + ": " + out.get(key))
            : Map.of("state", "none", "title", ""));
      }
      rows.add(Map.of("code", region[0], "name", region[1] == null ? "" : region[1], "cells", cells));
    }
    return Map.of("years", years.stream().map(y -> String.valueOf(y).substring(2)).toList(), "rows", rows);
  }

  static List<Map<String, Object>> maps(List<Row> rows) {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(map(r));
    }
    return out;
  }

  /** A row as a map of its columns (every column present, null included), for a template value with more keys. */
  static Map<String, Object> map(Row r) {
    Map<String, Object> m = new HashMap<>();
    String[] names = r.schema().fieldNames();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], r.isNullAt(i) ? null : r.get(i));
    }
    return m;
  }

  static String capitalise(String s) {
    return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
