package org.learningregions.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.jfree.chart.JFreeChart;
import org.learningregions.validate.NutsBoundaries;
import org.learningregions.validate.NutsCatalog;

/**
 * The report's maps and charts, built from {@link ReportData}: maps of the learning rate (with the learning cities)
 * and of productivity in each region's latest year, of the change in the learning rate over the panel and of the
 * headline model's residuals ({@link RegionMap}), then with {@link ReportCharts} learning vs
 * productivity, trends by country, every model's learning coefficient with its interval, and the distribution of
 * regional learning rates by reliability. Each is drawn once, as inline SVG: the same in the HTML and the PDF.
 */
final class ReportFigures {
  static final int WIDTH = 760;
  static final int HEIGHT = 420;
  /** Charts whose rows carry long labels. */
  static final int WIDE = 1000;

  static final int MAP_HEIGHT = 600;
  /** Regions in the caterpillar chart of index ranks (the highest ranked). */
  static final int INDEX_CHART_REGIONS = 30;

  /** A chart or map with its title, caption and SVG rendering. */
  record Figure(String id, String title, String caption, String svg) {}

  private ReportFigures() {}

  /** The charts only (no maps). */
  static List<Figure> of(ReportData d, String headlineTerm) {
    return of(d, headlineTerm, null, Labels.NONE);
  }

  /**
   * The maps first (when {@code geography} is given), then the charts.
   *
   * @param geography the regions and countries to draw, or null for no maps
   * @param labels plain words for the models and terms
   */
  static List<Figure> of(ReportData d, String headlineTerm, Geography geography, Labels labels) {
    List<Figure> out = new ArrayList<>();
    if (geography != null) {
      maps(out, d, geography);
      tl2Map(out, d, geography);
      changeMap(out, d, geography);
      residualMap(out, d, geography);
      indexMap(out, d, geography);
    }
    add(out, "scatter", "Learning and productivity", "Each point is a region in its latest year with a learning rate. "
        + "The line is a descriptive least-squares fit across regions, not the model estimate: regions differ in many "
        + "ways at once. Low-reliability values are drawn differently.",
        ReportCharts.scatter(points(d), "Adults in education and training (% of 25-64)",
            "Output per person employed (log EUR)"));
    add(out, "trends", "Learning rates by country", "Mean of the regional learning rates of each country and year "
        + "(unweighted across regions).", ReportCharts.trends(trends(d)));
    // One row per specification, labelled in plain words (up to about 90 characters): wider and taller than the
    // other charts, or the labels leave the intervals a strip.
    List<ReportCharts.Estimate> estimates = estimates(d, headlineTerm, labels);
    out.add(new Figure("coefficients", "The learning coefficient in every model", "Point estimate and 95% "
        + "confidence interval of the coefficient on \u201c" + labels.term(headlineTerm) + "\u201d in each model "
        + "specification (or on the model's own learning term), in log points; 0.01 is about 1% higher "
        + "output per worker per percentage point. The pooled and region-only models are confounded by common "
        + "trends.", ReportCharts.svg(ReportCharts.coefficients(estimates, "learning, per percentage point"),
            WIDE, Math.max(HEIGHT, 90 + 20 * estimates.size()), "fig-coefficients")));
    if (!d.learningIndex().isEmpty()) {
      List<ReportCharts.Estimate> ranks = new ArrayList<>();
      for (Row r : d.learningIndex().subList(0, Math.min(INDEX_CHART_REGIONS, d.learningIndex().size()))) {
        ranks.add(new ReportCharts.Estimate(r.getAs("region_code") + " " + r.getAs("region_name"),
            r.<Double>getAs("rank_median"), r.<Double>getAs("rank_p05"), r.<Double>getAs("rank_p95")));
      }
      int n = d.learningIndex().get(0).getAs("regions_ranked");
      out.add(new Figure("index-ranks", "Where the top regions of the index stand, and how sure that is",
          "The " + ranks.size() + " regions ranked highest by the published index, each with its median rank "
              + "and the interval holding 90% of its ranks over the Monte Carlo draws (other normalisations, "
              + "weights, aggregations, one indicator left out, survey values redrawn). The whole ranking is in "
              + "csv/learning_index.csv.", ReportCharts.svg(ReportCharts.ranks(ranks, n), WIDTH,
                  Math.max(HEIGHT, 60 + 18 * ranks.size()), "fig-index-ranks")));
    }
    add(out, "distribution", "How learning rates are distributed", "Regional learning rates in each region's latest "
        + "year, by reliability: survey cells below limit B and official values flagged u count as low reliability; "
        + "suppressed cells have no value and are not shown.", ReportCharts.distribution(cells(d), 2.0));
    return out;
  }

  private static void add(List<Figure> out, String id, String title, String caption, JFreeChart chart) {
    out.add(new Figure(id, title, caption, ReportCharts.svg(chart, WIDTH, HEIGHT, "fig-" + id)));
  }

  /** The boundaries a map draws: regions (NUTS 2) and countries behind them. */
  record Geography(List<NutsBoundaries.Region> regions, List<NutsBoundaries.Region> countries) {
    /** From the report settings' locations (files or {@code classpath:} resources). */
    static Geography load(String regions, String countries) {
      return new Geography(NutsBoundaries.read(regions), countries == null || countries.isBlank() ? List.of()
          : NutsBoundaries.read(countries));
    }
  }

  /** The learning rate (with the learning cities) and productivity in each region's latest year. */
  private static void maps(List<Figure> out, ReportData d, Geography geo) {
    Map<String, RegionMap.Value> learning = new LinkedHashMap<>();
    Map<String, RegionMap.Value> productivity = new LinkedHashMap<>();
    List<RegionMap.Point> cities = new ArrayList<>();
    Integer year = null;
    for (Row p : d.profiles()) {
      String code = p.getAs("region_code");
      Double rate = p.getAs("learning_rate");
      Double prod = p.getAs("productivity_eur");
      if (rate != null) {
        learning.put(code, new RegionMap.Value(rate, isLow(p)));
      }
      if (prod != null && prod > 0) {
        productivity.put(code, new RegionMap.Value(prod / 1000, false));
      }
      Integer y = p.getAs("year");
      year = year == null || (y != null && y > year) ? y : year;
      String names = p.getAs("learning_city_names");
      if (names != null && !names.isBlank()) {
        cities.add(new RegionMap.Point(names, code));
      }
    }
    String latest = year == null ? "" : " (latest year with a learning rate, mostly " + year + ")";
    addMap(out, "map-learning", "Adults in education and training, by region",
        "Share of adults aged 25-64 who took part in education or training in the four weeks before the survey, in "
            + "each region's latest year" + latest + ". Hatched: low reliability; grey: no value. Dots: regions "
            + "with a UNESCO learning city (placed at the region's centre).",
        new RegionMap(geo.regions(), geo.countries(), new RegionMap.Spec("map-learning", "% of adults 25-64",
            learning, RegionMap.YELLOW_GREEN_BLUE, 1, cities)));
    addMap(out, "map-productivity", "Output per person employed, by region",
        "GDP per person employed in thousand EUR (current prices), in the same year as the learning rate. Price "
            + "levels differ between countries: compare regions within a country first.",
        new RegionMap(geo.regions(), geo.countries(), new RegionMap.Spec("map-productivity",
            "thousand EUR", productivity, RegionMap.PURPLE_BLUE, 0, List.of())));
  }

  /**
   * The learning rate of the OECD TL2 panel's regions (NUTS 1 in the countries panel.tl2 names, NUTS 2 elsewhere),
   * each a union of the NUTS 2 boundaries it covers, when the lakehouse has that panel.
   */
  private static void tl2Map(List<Figure> out, ReportData d, Geography geo) {
    if (d.tl2Learning().isEmpty()) {
      return;
    }
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, RegionMap.Value> learning = new LinkedHashMap<>();
    for (Row r : d.tl2Learning()) {
      names.put(r.getAs("region_code"), r.getAs("region_name"));
      learning.put(r.getAs("region_code"), new RegionMap.Value(r.<Double>getAs("learning_rate"), isLow(r)));
    }
    // The rest of the map in the same units, grey: countries with a NUTS 1 region in the panel are drawn by NUTS 1.
    java.util.Set<String> byNuts1 = new java.util.HashSet<>();
    names.keySet().stream().filter(c -> c.length() == 3).forEach(c -> byNuts1.add(c.substring(0, 2)));
    NutsCatalog catalog = NutsCatalog.nuts2021();
    for (NutsBoundaries.Region r : geo.regions()) {
      String unit = byNuts1.contains(r.code().substring(0, 2)) ? r.code().substring(0, 3) : r.code();
      if (!names.containsKey(unit)) {
        names.put(unit, catalog.get(unit) == null ? r.name() : catalog.get(unit).name());
      }
    }
    List<NutsBoundaries.Region> regions = RegionUnion.dissolve(geo.regions(), names);
    List<String> drawn = regions.stream().map(NutsBoundaries.Region::code).toList();
    List<String> notDrawn = names.keySet().stream().filter(c -> !drawn.contains(c)).toList();
    addMap(out, "map-learning-tl2", "Adults in education and training, by OECD TL2 region",
        "The same share for the OECD's large regions (territorial level 2), as the OECD compares them: whole German "
            + "Länder, French régions and British regions (NUTS 1) where the map above splits them, NUTS 2 regions "
            + "elsewhere; each region's latest year with a value, as published at that level (never summed from "
            + "smaller regions). Hatched: low reliability; grey: no value."
            + (notDrawn.isEmpty() ? "" : " Not drawn, for want of NUTS 2021 boundaries in the map: "
                + notDrawn.size() + " regions (" + byCountry(notDrawn) + ")."),
        new RegionMap(regions, geo.countries(), new RegionMap.Spec("map-learning-tl2", "% of adults 25-64", learning,
            RegionMap.YELLOW_GREEN_BLUE, 1, List.of())));
  }

  /** "FR 5, PT 2, UK 12": how many of the codes each country has. */
  private static String byCountry(List<String> codes) {
    Map<String, Integer> n = new java.util.TreeMap<>();
    codes.forEach(c -> n.merge(c.substring(0, Math.min(2, c.length())), 1, Integer::sum));
    return String.join(", ", n.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
  }

  /** The change of each region's learning rate from its first to its latest year with one. */
  private static void changeMap(List<Figure> out, ReportData d, Geography geo) {
    Map<String, Row> first = new LinkedHashMap<>();
    Map<String, Row> last = new LinkedHashMap<>();
    for (Row r : d.panel()) {
      if (r.getAs("learning_rate") != null) {
        first.putIfAbsent(r.getAs("region_code"), r);
        last.put(r.getAs("region_code"), r);
      }
    }
    Map<String, RegionMap.Value> change = new LinkedHashMap<>();
    java.util.TreeMap<Integer, Integer> firstYears = new java.util.TreeMap<>();
    java.util.TreeMap<Integer, Integer> lastYears = new java.util.TreeMap<>();
    for (Map.Entry<String, Row> e : first.entrySet()) {
      Row a = e.getValue();
      Row b = last.get(e.getKey());
      if (b.<Integer>getAs("year") > a.<Integer>getAs("year")) {
        change.put(e.getKey(), new RegionMap.Value(b.<Double>getAs("learning_rate") - a.<Double>getAs("learning_rate"),
            isLow(a) || isLow(b)));
        firstYears.merge(a.getAs("year"), 1, Integer::sum);
        lastYears.merge(b.getAs("year"), 1, Integer::sum);
      }
    }
    if (change.isEmpty()) {
      return;
    }
    addMap(out, "map-learning-change", "Change in adult learning, by region",
        "Percentage points of adults 25-64 in education and training, from each region's first to its latest year "
            + "with a value in the panel (mostly " + mode(firstYears) + " to " + mode(lastYears) + "). Teal: more "
            + "learning, brown: less; classes of equal width around zero. Hatched: either year of low reliability; "
            + "grey: fewer than two years. Breaks in series (flag b) can make part of a change.",
        new RegionMap(geo.regions(), geo.countries(), new RegionMap.Spec("map-learning-change", "percentage points",
            change, RegionMap.BROWN_TEAL, 1, List.of(), true)));
  }

  private static int mode(java.util.TreeMap<Integer, Integer> counts) {
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /** The headline model's residual in each region's latest year: where it predicts badly. */
  private static void residualMap(List<Figure> out, ReportData d, Geography geo) {
    if (d.residuals() == null || d.residuals().latestByRegion().isEmpty()) {
      return;
    }
    Map<String, RegionMap.Value> residual = new LinkedHashMap<>();
    d.residuals().latestByRegion().forEach((code, r) -> residual.put(code, new RegionMap.Value(r.residual() * 100,
        false)));
    addMap(out, "map-residuals", "Where the headline model fits badly",
        "Residual of the headline model in each region's latest year in its sample: output per person employed "
            + "above (purple) or below (orange) what the region's own level, the year and its learning rate predict, "
            + "in log points x 100 (about percent). Classes of equal width around zero; grey: not in the model's "
            + "sample.",
        new RegionMap(geo.regions(), geo.countries(), new RegionMap.Spec("map-residuals", "log points x 100",
            residual, RegionMap.ORANGE_PURPLE, 1, List.of(), true)));
  }

  /** The learning-region index: its nominal score, regions whose rank interval is wide hatched. */
  private static void indexMap(List<Figure> out, ReportData d, Geography geo) {
    if (d.learningIndex().isEmpty()) {
      return;
    }
    Map<String, RegionMap.Value> score = new LinkedHashMap<>();
    for (Row r : d.learningIndex()) {
      Double p05 = r.getAs("rank_p05");
      Double p95 = r.getAs("rank_p95");
      int n = r.getAs("regions_ranked");
      // Wide: the 90% rank interval spans more than a quarter of the ranking.
      boolean wide = p05 != null && p95 != null && p95 - p05 > n / 4.0;
      score.put(r.getAs("region_code"), new RegionMap.Value(r.<Double>getAs("score"), wide));
    }
    Row first = d.learningIndex().get(0);
    addMap(out, "map-index", "The learning-region index",
        "Nominal score of the composite index in " + first.getAs("year") + " (" + first.getAs("method") + "; 0-100 "
            + "with min-max), quantile classes. Hatched: the region's 90% rank interval over the Monte Carlo draws "
            + "spans more than a quarter of the ranking, so its place depends on how the index is built. Grey: not "
            + "ranked (the coverage rule).",
        new RegionMap(geo.regions(), geo.countries(), new RegionMap.Spec("map-index", "index score", score,
            RegionMap.PURPLE_BLUE, 1, List.of(), false, "wide rank interval")));
  }

  private static void addMap(List<Figure> out, String id, String title, String caption, RegionMap map) {
    // JFreeSVG writes an element's <title> just before the element; a tooltip is the title of the element hovered,
    // so each region's title moves inside its group.
    String svg = REGION_TITLE.matcher(ReportCharts.svg(map, WIDTH, MAP_HEIGHT, "fig-" + id, 1)).replaceAll("$2$1");
    out.add(new Figure(id, title, caption, svg));
  }

  private static final java.util.regex.Pattern REGION_TITLE = java.util.regex.Pattern.compile(
      "(<title>[^<]*</title>)(<g id='map-[^']*'[^>]*>)");

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
  private static List<ReportCharts.Estimate> estimates(ReportData d, String headlineTerm, Labels labels) {
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
        String term = best.getAs("term");
        out.add(new ReportCharts.Estimate(labels.model(model) + (term.equals(headlineTerm) ? ""
            : " (" + labels.term(term) + ")"), best.<Double>getAs("estimate"),
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
