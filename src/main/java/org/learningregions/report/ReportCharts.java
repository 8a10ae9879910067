package org.learningregions.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.util.DoubleConverter;

/**
 * The report's figures: a scatter of learning rate against log productivity, country trends, a coefficient plot and
 * a histogram of regional rates. They are drawn by JFreeChart and serialised by JFreeSVG (inline SVG for the HTML
 * report and, through the same HTML, the PDF) rather than written as hand-made SVG strings, because axes, tick
 * choice, legends, error bars and text escaping are exactly what a chart library has already got right and a
 * hand-written plotter would get subtly wrong. Inputs are small plain records so that this class needs no Spark.
 *
 * <p>Colours follow the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies), and series
 * differ by marker or dash as well, so no chart relies on colour alone.
 *
 * <p>Why this class is long: the report's four chart kinds share one theme (palette, fonts, axis formats, the
 * reliability markers) and one SVG serialisation; kept together, a chart cannot drift from the others' style.
 * The maps of the report issue come as their own class.
 */
public final class ReportCharts {
  /** Label of the fitted line in {@link #scatter}; also its series key. */
  public static final String LINE_LABEL = "least-squares line (descriptive, pooled)";
  /** Series key of the points in {@link #scatter} that are not flagged as low reliability. */
  public static final String RELIABLE = "reliable";
  /** Series key of low-reliability points or cells. */
  public static final String LOW = "low reliability";
  /** Series key of {@link #distribution} cells from series that carry no reliability flag. */
  public static final String NO_INFO = "no reliability information";
  /** At most this many countries are drawn by {@link #trends}; more lines cannot be told apart. */
  public static final int MAX_TREND_COUNTRIES = 12;

  // Okabe-Ito; yellow is left out because it is barely visible on white.
  private static final Color BLUE = new Color(0x0072B2);
  private static final Color VERMILLION = new Color(0xD55E00);
  private static final Color GREEN = new Color(0x009E73);
  private static final Color ORANGE = new Color(0xE69F00);
  private static final Color PURPLE = new Color(0xCC79A7);
  private static final Color SKY = new Color(0x56B4E9);
  private static final Color BLACK = new Color(0x000000);
  private static final Color GREY = new Color(0x8C8C8C);
  private static final Color[] PALETTE = {BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, BLACK};
  private static final Color GRID = new Color(0xDDDDDD);
  private static final Color TEXT = new Color(0x222222);

  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font SMALL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  /** Ids end up in id attributes and CSS selectors of the report page, so only plain names are accepted. */
  private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  /** Guards against a tiny bin width turning a histogram into millions of empty bars. */
  private static final int MAX_BINS = 1000;

  private ReportCharts() {}

  /**
   * One region in the scatter. Region and country are not drawn (hundreds of labels would hide the points); they
   * keep a point traceable for callers.
   *
   * @param regionCode NUTS code of the region
   * @param country country code
   * @param learningRate percent of adults aged 25-64 in learning
   * @param logProductivity natural log of productivity
   * @param lowReliability whether the learning rate is flagged as of low reliability
   */
  public record Point(String regionCode, String country, double learningRate, double logProductivity,
      boolean lowReliability) {}

  /**
   * A country's mean regional learning rate in one year.
   *
   * @param country country code or name, shown in the legend
   * @param year calendar year
   * @param meanLearningRate mean learning rate in percent
   */
  public record CountryYear(String country, int year, double meanLearningRate) {
    /** Rejects a missing country, which would otherwise become a series called "null". */
    public CountryYear {
      Objects.requireNonNull(country, "country");
    }
  }

  /**
   * One model's estimate of the learning-rate term with its 95% confidence interval, all in log points.
   *
   * @param model model name, shown as the row label
   * @param estimate point estimate
   * @param ciLow lower bound of the 95% interval
   * @param ciHigh upper bound of the 95% interval
   */
  public record Estimate(String model, double estimate, double ciLow, double ciHigh) {
    /** Rejects values that cannot be drawn as an interval. */
    public Estimate {
      Objects.requireNonNull(model, "model");
      if (!Double.isFinite(estimate) || !Double.isFinite(ciLow) || !Double.isFinite(ciHigh) || ciLow > ciHigh) {
        throw new IllegalArgumentException("estimate for model '" + model + "' needs finite values and ciLow <= ciHigh"
            + " (got " + estimate + " [" + ciLow + ", " + ciHigh + "])");
      }
    }
  }

  /**
   * One regional learning rate for the histogram.
   *
   * @param rate learning rate in percent; a non-finite rate is left out of the histogram
   * @param reliability {@code "reliable"} (or the aggregate stage's {@code "ok"}), {@code "low"}, or {@code null} for
   *     official series that carry no reliability information
   */
  public record RateCell(double rate, String reliability) {}

  /**
   * Scatter of learning rate (x) against log productivity (y), low-reliability regions in their own series and
   * marker, with the least-squares line of y on x over all shown points. The line is descriptive only: it pools
   * countries and years and is not one of the report's models. Points with a non-finite coordinate are not shown;
   * with fewer than two distinct x values there is no line.
   *
   * @param points regions to plot
   * @param xLabel label of the learning-rate axis
   * @param yLabel label of the log-productivity axis
   * @return the chart; dataset 0 holds the points, dataset 1 the line (possibly empty)
   */
  public static JFreeChart scatter(List<Point> points, String xLabel, String yLabel) {
    XYSeries reliable = new XYSeries(RELIABLE);
    XYSeries low = new XYSeries(LOW);
    SimpleRegression regression = new SimpleRegression();
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    for (Point p : points) {
      double x = p.learningRate();
      double y = p.logProductivity();
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        continue;
      }
      (p.lowReliability() ? low : reliable).add(x, y);
      regression.addData(x, y);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
    }
    XYSeriesCollection pointData = new XYSeriesCollection();
    for (XYSeries s : List.of(reliable, low)) {
      if (s.getItemCount() > 0) {
        pointData.addSeries(s);
      }
    }
    XYSeriesCollection lineData = new XYSeriesCollection();
    // SimpleRegression answers NaN when x has no spread (or n < 2): then there is no line to draw.
    double slope = regression.getSlope();
    if (regression.getN() >= 2 && Double.isFinite(slope)) {
      XYSeries line = new XYSeries(LINE_LABEL);
      line.add(minX, regression.predict(minX));
      line.add(maxX, regression.predict(maxX));
      lineData.addSeries(line);
    }

    XYLineAndShapeRenderer pointRenderer = new XYLineAndShapeRenderer(false, true);
    for (int i = 0; i < pointData.getSeriesCount(); i++) {
      boolean isLow = LOW.equals(pointData.getSeriesKey(i));
      pointRenderer.setSeriesPaint(i, isLow ? VERMILLION : BLUE);
      // Low reliability also differs in shape, so the flag survives greyscale printing and colour-blindness.
      pointRenderer.setSeriesShape(i, isLow ? triangle(4.5) : new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    }
    // Filled markers need no outline; drawing one would double the SVG size of a scatter with many regions.
    pointRenderer.setDrawOutlines(false);
    XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
    lineRenderer.setSeriesPaint(0, BLACK);
    lineRenderer.setSeriesStroke(0, new BasicStroke(1.5f));

    // Without a minimum span one region (or identical values) would get an axis of width 1e-8 and unreadable ticks.
    NumberAxis x = valueAxis(xLabel, false);
    x.setAutoRangeMinimumSize(1.0);
    NumberAxis y = valueAxis(yLabel, false);
    y.setAutoRangeMinimumSize(0.1);
    XYPlot plot = new XYPlot(pointData, x, y, pointRenderer);
    plot.setDataset(1, lineData);
    plot.setRenderer(1, lineRenderer);
    return finish("Adult learning and productivity", plot);
  }

  /**
   * Mean learning rate by year, one line per country. With more than {@value #MAX_TREND_COUNTRIES} countries only
   * those with the most years are drawn (ties by country name) and a subtitle says so. Rows with a non-finite rate are
   * not drawn.
   *
   * @param rows one row per country and year
   * @return the chart, countries in alphabetical order
   * @throws IllegalArgumentException if a country has two rows for the same year
   */
  public static JFreeChart trends(List<CountryYear> rows) {
    Map<String, TreeMap<Integer, Double>> byCountry = new TreeMap<>();
    for (CountryYear r : rows) {
      if (!Double.isFinite(r.meanLearningRate())) {
        continue;
      }
      TreeMap<Integer, Double> years = byCountry.computeIfAbsent(r.country(), c -> new TreeMap<>());
      Double before = years.put(r.year(), r.meanLearningRate());
      if (before != null) {
        throw new IllegalArgumentException("two trend rows for country '" + r.country() + "' in " + r.year());
      }
    }
    List<String> shown = byCountry.keySet().stream()
        .sorted(Comparator.comparingInt((String c) -> -byCountry.get(c).size())
            .thenComparing(Comparator.naturalOrder()))
        .limit(MAX_TREND_COUNTRIES)
        .sorted()
        .toList();

    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (String country : shown) {
      XYSeries s = new XYSeries(country);
      byCountry.get(country).forEach(s::add);
      int i = data.getSeriesCount();
      data.addSeries(s);
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      // Past the palette, a dash pattern keeps lines of the same colour apart.
      renderer.setSeriesStroke(i, i < PALETTE.length ? new BasicStroke(1.5f)
          : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 3f}, 0f));
    }

    NumberAxis years = valueAxis("Year", false);
    years.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    years.setAutoRangeMinimumSize(2.0);
    // Years are labels, not quantities: "2015", never "2,015".
    years.setNumberFormatOverride(new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    XYPlot plot = new XYPlot(data, years, valueAxis("Mean learning rate (% of adults 25-64)", true), renderer);
    JFreeChart chart = finish("Adult learning over time", plot);
    if (byCountry.size() > shown.size()) {
      subtitle(chart, "The " + shown.size() + " of " + byCountry.size() + " countries with the most years");
    }
    return chart;
  }

  /**
   * Coefficient plot: one row per model, top to bottom in input order, with the point estimate and its 95% interval
   * as a horizontal bar, and a vertical reference line at zero.
   *
   * @param estimates one estimate per model, in log points
   * @param termLabel what the coefficient is on, e.g. "learning rate (+1 pp)"; the axis adds the unit
   * @return the chart; dataset 0 is an {@link XYIntervalSeriesCollection} with one item per estimate, x = estimate
   *     with its interval, y = row index
   */
  public static JFreeChart coefficients(List<Estimate> estimates, String termLabel) {
    return intervals(estimates, "Coefficient on " + termLabel + " (log points)", "Estimates by model",
        "Points: estimates; bars: 95% confidence intervals", true);
  }

  /**
   * A caterpillar chart of ranks: one row per region (its label in {@link Estimate#model()}), the median rank over
   * the Monte Carlo draws as the point and the 5th-95th percentile as the bar ({@code ciLow}, {@code ciHigh}).
   */
  public static JFreeChart ranks(List<Estimate> regions, int regionsRanked) {
    JFreeChart chart = intervals(regions, "Rank among " + regionsRanked + " regions (1 = highest)",
        "Ranks and how far they move", "Points: median rank over the draws; bars: 5th to 95th percentile", false);
    ((XYPlot) chart.getPlot()).getDomainAxis().setRange(0.5, regionsRanked + 0.5);
    return chart;
  }

  private static JFreeChart intervals(List<Estimate> estimates, String axisLabel, String title, String note,
      boolean zeroLine) {
    // No auto-sort: item i stays row i.
    XYIntervalSeries series = new XYIntervalSeries("estimate with interval", false, true);
    String[] rowsOf = new String[estimates.size()];
    for (int i = 0; i < estimates.size(); i++) {
      Estimate e = estimates.get(i);
      rowsOf[i] = e.model();
      series.add(e.estimate(), e.ciLow(), e.ciHigh(), i, i, i);
    }
    XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    data.addSeries(series);

    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(true);
    renderer.setDrawYError(false);
    renderer.setDefaultLinesVisible(false);
    renderer.setSeriesPaint(0, BLUE);
    renderer.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
    renderer.setErrorStroke(new BasicStroke(2f));
    renderer.setCapLength(8);

    NumberAxis x = valueAxis(axisLabel, zeroLine);
    SymbolAxis rows = new SymbolAxis(null, rowsOf);
    style(rows);
    rows.setGridBandsVisible(false);
    rows.setInverted(true);
    XYPlot plot = new XYPlot(data, x, rows, renderer);
    plot.setRangeGridlinesVisible(false);
    if (zeroLine) {
      plot.addDomainMarker(new ValueMarker(0.0, GREY, new BasicStroke(1f)));
    }
    JFreeChart chart = finish(title, plot);
    subtitle(chart, note);
    return chart;
  }

  /**
   * Histogram of regional learning rates, bars stacked by reliability. Bins are {@code [k * binWidth, (k + 1) *
   * binWidth)}, anchored at 0 so that bins mean the same in every run; every bin between the lowest and the highest
   * rate is present (possibly empty) so the bars form a continuous axis. Only reliability groups that occur get a
   * series, bottom to top: reliable, low reliability, no reliability information.
   *
   * @param cells regional rates with their reliability
   * @param binWidth bin width in percentage points
   * @return the chart; dataset 0 is a {@link DefaultTableXYDataset} whose x values are bin starts and y values counts
   * @throws IllegalArgumentException for a bin width that is not positive, too many bins, or an unknown reliability
   */
  public static JFreeChart distribution(List<RateCell> cells, double binWidth) {
    if (!(binWidth > 0) || !Double.isFinite(binWidth)) {
      throw new IllegalArgumentException("binWidth must be positive and finite (got " + binWidth + ")");
    }
    Map<String, TreeMap<Long, Integer>> counts = new TreeMap<>();
    TreeSet<Long> bins = new TreeSet<>();
    for (RateCell c : cells) {
      if (!Double.isFinite(c.rate())) {
        continue;
      }
      long bin = (long) Math.floor(c.rate() / binWidth);
      bins.add(bin);
      counts.computeIfAbsent(group(c.reliability()), g -> new TreeMap<>()).merge(bin, 1, Integer::sum);
    }
    if (!bins.isEmpty() && bins.last() - bins.first() >= MAX_BINS) {
      throw new IllegalArgumentException("binWidth " + binWidth + " gives more than " + MAX_BINS + " bins");
    }

    DefaultTableXYDataset data = new DefaultTableXYDataset();
    StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.0);
    for (String group : List.of(RELIABLE, LOW, NO_INFO)) {
      TreeMap<Long, Integer> groupCounts = counts.get(group);
      if (groupCounts == null) {
        continue;
      }
      // DefaultTableXYDataset needs unique x values per series.
      XYSeries s = new XYSeries(group, true, false);
      for (long b = bins.first(); b <= bins.last(); b++) {
        s.add(b * binWidth, groupCounts.getOrDefault(b, 0));
      }
      int i = data.getSeriesCount();
      data.addSeries(s);
      renderer.setSeriesPaint(i, RELIABLE.equals(group) ? BLUE : LOW.equals(group) ? ORANGE : GREY);
    }
    // x is the bin start and the bar spans one bin width to its right.
    data.setIntervalWidth(binWidth);
    data.setIntervalPositionFactor(0.0);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(true);
    renderer.setDefaultOutlinePaint(Color.WHITE);
    renderer.setDefaultOutlineStroke(new BasicStroke(0.5f));

    NumberAxis regions = valueAxis("Regions", true);
    regions.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = new XYPlot(data, valueAxis("Learning rate (% of adults 25-64)", false), regions, renderer);
    plot.setDomainGridlinesVisible(false);
    return finish("Regional learning rates", plot);
  }

  /**
   * Renders a chart as an inline {@code <svg>} element (no XML prolog) whose id is {@code id} and whose internal ids
   * (clip paths, gradients) all start with {@code id}, so that several charts inlined in one HTML page cannot refer to
   * each other's clip paths. Text drawn by the chart is XML-escaped by JFreeSVG and cleaned of control characters.
   * The element refers to no external resource; its only URIs are namespace names.
   *
   * @param chart chart to draw
   * @param width width in px
   * @param height height in px
   * @param id element id: a letter, then up to 63 letters, digits, '-' or '_'
   * @return the SVG element
   * @throws IllegalArgumentException if {@code id} is not of that form, or a size is not positive
   */
  public static String svg(org.jfree.chart.ui.Drawable chart, int width, int height, String id) {
    return svg(chart, width, height, id, 2);
  }

  /**
   * As {@link #svg(org.jfree.chart.ui.Drawable, int, int, String)} with coordinates to {@code decimals} decimals: a
   * map's hundreds of region outlines at 1/10 px instead of 1/100 px take a fifth less space and look the same.
   */
  static String svg(org.jfree.chart.ui.Drawable chart, int width, int height, String id, int decimals) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("svg id must match " + ID.pattern() + " (got '" + id + "')");
    }
    checkSize(width, height);
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    // JFreeSVG's default prefix is "_" + System.nanoTime(): unique only by luck and different in every run.
    g2.setDefsKeyPrefix(id + "-");
    // Java2D hands over float noise such as 128.93299865722656; 1/100 px is finer than any screen and halves the size.
    g2.setGeomDoubleConverter(new DoubleConverter(decimals));
    chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
    // A viewBox lets the page scale the chart down to a phone's width (CSS max-width) without cropping it.
    // Text drawn from inputs (region, country and city names) reaches the page as it is drawn: JFreeSVG escapes its
    // markup, not the control characters XML refuses.
    return Html.clean(g2.getSVGElement(id, true, new org.jfree.svg.ViewBox(0, 0, width, height), null, null));
  }

  private static void checkSize(int width, int height) {
    if (width <= 0 || height <= 0 || (long) width * height > 100_000_000L) {
      throw new IllegalArgumentException("chart size must be positive and at most 1e8 pixels (got " + width + "x"
          + height + ")");
    }
  }

  private static String group(String reliability) {
    if (reliability == null) {
      return NO_INFO;
    }
    return switch (reliability.trim().toLowerCase(Locale.ROOT)) {
      case "reliable", "ok" -> RELIABLE;
      case "low" -> LOW;
      // "suppressed" cells have no rate to show; anything else is a mistake upstream, not a fourth colour.
      default -> throw new IllegalArgumentException("unknown reliability '" + reliability + "'");
    };
  }

  private static Path2D triangle(double r) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(0, -r);
    p.lineTo(r, r * 0.8);
    p.lineTo(-r, r * 0.8);
    p.closePath();
    return p;
  }

  private static NumberAxis valueAxis(String label, boolean includesZero) {
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(includesZero);
    style(axis);
    return axis;
  }

  private static void style(ValueAxis axis) {
    axis.setLabelFont(LABEL_FONT);
    axis.setLabelPaint(TEXT);
    axis.setTickLabelFont(SMALL_FONT);
    axis.setTickLabelPaint(TEXT);
    axis.setAxisLinePaint(GREY);
    axis.setTickMarkPaint(GREY);
  }

  /** The common look: white, no grey plot area, thin light grid, legend only when there is something to tell apart. */
  private static JFreeChart finish(String title, XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    BasicStroke grid = new BasicStroke(0.5f);
    plot.setDomainGridlinePaint(GRID);
    plot.setDomainGridlineStroke(grid);
    plot.setRangeGridlinePaint(GRID);
    plot.setRangeGridlineStroke(grid);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    plot.setNoDataMessage("No data");
    plot.setNoDataMessageFont(LABEL_FONT);
    plot.setNoDataMessagePaint(TEXT);

    JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setPaint(TEXT);
    chart.setPadding(new RectangleInsets(6, 6, 6, 12));
    LegendTitle legend = chart.getLegend();
    if (plot.getLegendItems().getItemCount() > 1) {
      legend.setItemFont(SMALL_FONT);
      legend.setItemPaint(TEXT);
      legend.setBackgroundPaint(Color.WHITE);
      legend.setFrame(BlockBorder.NONE);
    } else {
      chart.removeLegend();
    }
    return chart;
  }

  private static void subtitle(JFreeChart chart, String text) {
    TextTitle t = new TextTitle(text, SMALL_FONT);
    t.setPaint(TEXT);
    // Subtitles go after the legend in the list; index 0 keeps this one right under the title.
    chart.addSubtitle(0, t);
  }
}
