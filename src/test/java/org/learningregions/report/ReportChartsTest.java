package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.Drawable;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.learningregions.report.ReportCharts.CountryYear;
import org.learningregions.report.ReportCharts.Estimate;
import org.learningregions.report.ReportCharts.Point;
import org.learningregions.report.ReportCharts.RateCell;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/** Charts hold the numbers they were given, and their SVG is safe to inline in the HTML report. Runs without Spark. */
@Tag("fast")
class ReportChartsTest {
  private static final String HOSTILE = "<script>alert(1)</script>";

  private static final List<Point> POINTS = List.of(
      new Point("DE11", "DE", 12.0, 10.9, false),
      new Point("DE12", "DE", 15.5, 11.1, false),
      new Point("FR10", "FR", 20.25, 11.3, true),
      new Point("ITC1", "IT", 7.0, 10.6, false),
      new Point("ITC2", "IT", 9.5, 10.5, true));

  @Test
  void svgIsAWellFormedInlineElementWithoutExternalReferences() throws Exception {
    for (Map.Entry<String, JFreeChart> e : sampleCharts().entrySet()) {
      String svg = ReportCharts.svg(e.getValue(), 480, 320, e.getKey());
      assertTrue(svg.startsWith("<svg"), "no XML prolog or doctype before the element: " + e.getKey());
      Element root = parse(svg).getDocumentElement();
      assertEquals("svg", root.getLocalName());
      assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
      assertEquals(e.getKey(), root.getAttribute("id"));
      for (Attr a : attributes(root)) {
        String name = a.getLocalName() == null ? a.getName() : a.getLocalName();
        assertFalse(name.equals("src"), e.getKey() + " has a src attribute");
        if (name.equals("href")) {
          assertTrue(a.getValue().startsWith("#"), e.getKey() + " refers to " + a.getValue());
        }
        assertFalse(a.getValue().matches("(?s).*url\\(\\s*['\"]?(https?:|//).*"), e.getKey() + ": " + a.getValue());
      }
      assertFalse(svg.contains("href=\"http") || svg.contains("href='http"), e.getKey());
      assertFalse(svg.contains("src="), e.getKey());
    }
  }

  @Test
  void chartsWithDifferentIdsShareNoIdsAndOnlyReferToTheirOwn() throws Exception {
    JFreeChart chart = ReportCharts.scatter(POINTS, "rate", "log productivity");
    String first = ReportCharts.svg(chart, 400, 300, "scatter-a");
    String second = ReportCharts.svg(chart, 400, 300, "scatter-b");
    Set<String> firstIds = ids(parse(first));
    Set<String> secondIds = ids(parse(second));
    assertTrue(firstIds.size() > 1, "expected clip-path ids besides the root id: " + firstIds);
    Set<String> common = new HashSet<>(firstIds);
    common.retainAll(secondIds);
    assertEquals(Set.of(), common);
    // Ids derived from the caller's id stay unique across runs too, unlike JFreeSVG's time-based default prefix.
    assertTrue(firstIds.stream().allMatch(id -> id.startsWith("scatter-a")), firstIds.toString());
    assertTrue(secondIds.stream().allMatch(id -> id.startsWith("scatter-b")), secondIds.toString());
    // A clip-path pointing at the other chart's defs would render wrongly once both sit in one page.
    assertTrue(firstIds.containsAll(references(first)), "dangling reference in " + references(first));
    assertTrue(secondIds.containsAll(references(second)), "dangling reference in " + references(second));
  }

  @Test
  void scatterLineIsTheOrdinaryLeastSquaresLineOverTheShownPoints() {
    List<Point> withUnplottable = new ArrayList<>(POINTS);
    withUnplottable.add(new Point("XX00", "XX", Double.NaN, 10.0, false));
    XYPlot plot = (XYPlot) ReportCharts.scatter(withUnplottable, "rate", "log productivity").getPlot();

    XYDataset points = plot.getDataset(0);
    assertEquals(2, points.getSeriesCount());
    assertEquals(ReportCharts.RELIABLE, points.getSeriesKey(0));
    assertEquals(3, points.getItemCount(0));
    assertEquals(ReportCharts.LOW, points.getSeriesKey(1));
    assertEquals(2, points.getItemCount(1));

    // Closed form: slope = sum (x - mx)(y - my) / sum (x - mx)^2, intercept = my - slope * mx.
    double mx = 0;
    double my = 0;
    for (Point p : POINTS) {
      mx += p.learningRate() / POINTS.size();
      my += p.logProductivity() / POINTS.size();
    }
    double sxy = 0;
    double sxx = 0;
    for (Point p : POINTS) {
      sxy += (p.learningRate() - mx) * (p.logProductivity() - my);
      sxx += (p.learningRate() - mx) * (p.learningRate() - mx);
    }
    double slope = sxy / sxx;
    double intercept = my - slope * mx;

    XYDataset line = plot.getDataset(1);
    assertEquals(1, line.getSeriesCount());
    assertEquals(ReportCharts.LINE_LABEL, line.getSeriesKey(0));
    assertEquals(2, line.getItemCount(0));
    assertEquals(7.0, line.getXValue(0, 0));
    assertEquals(20.25, line.getXValue(0, 1));
    for (int i = 0; i < 2; i++) {
      double x = line.getXValue(0, i);
      assertEquals(intercept + slope * x, line.getYValue(0, i), 1e-12);
    }
  }

  @Test
  void scatterWithoutEnoughPointsHasNoLine() throws Exception {
    List<List<Point>> cases = List.of(List.of(), List.of(POINTS.get(0)),
        List.of(POINTS.get(0), new Point("DE13", "DE", 12.0, 11.0, true)));
    for (List<Point> points : cases) {
      JFreeChart chart = ReportCharts.scatter(points, "rate", "log productivity");
      assertEquals(0, ((XYPlot) chart.getPlot()).getDataset(1).getSeriesCount(), points.toString());
      assertNotNull(parse(ReportCharts.svg(chart, 300, 200, "few")));
    }
  }

  @Test
  void coefficientPlotDrawsOneIntervalPerEstimateAndAZeroLine() {
    List<Estimate> estimates = List.of(
        new Estimate("pooled", 0.012, 0.008, 0.016),
        new Estimate("country FE", 0.004, -0.002, 0.010),
        new Estimate("two-way FE", -0.001, -0.009, 0.007));
    XYPlot plot = (XYPlot) ReportCharts.coefficients(estimates, "learning rate (+1 pp)").getPlot();

    IntervalXYDataset data = assertInstanceOf(IntervalXYDataset.class, plot.getDataset(0));
    assertEquals(1, data.getSeriesCount());
    assertEquals(estimates.size(), data.getItemCount(0));
    for (int i = 0; i < estimates.size(); i++) {
      Estimate e = estimates.get(i);
      assertEquals(i, data.getYValue(0, i), "row of " + e.model());
      assertEquals(e.estimate(), data.getXValue(0, i));
      assertEquals(e.ciLow(), data.getStartXValue(0, i));
      assertEquals(e.ciHigh(), data.getEndXValue(0, i));
    }
    XYErrorRenderer renderer = assertInstanceOf(XYErrorRenderer.class, plot.getRenderer(0));
    assertTrue(renderer.getDrawXError());
    assertFalse(renderer.getDrawYError());

    Collection<?> markers = plot.getDomainMarkers(Layer.FOREGROUND);
    assertNotNull(markers, "no reference line");
    assertEquals(1, markers.size());
    assertEquals(0.0, assertInstanceOf(ValueMarker.class, markers.iterator().next()).getValue());
    String label = plot.getDomainAxis().getLabel();
    assertTrue(label.contains("learning rate (+1 pp)") && label.contains("log points"), label);
  }

  @Test
  void distributionCountsEachBinAndReliabilityGroup() {
    List<RateCell> cells = List.of(
        new RateCell(0.0, "reliable"),
        new RateCell(4.99, "ok"),
        new RateCell(5.0, "low"),
        new RateCell(7.5, null),
        new RateCell(9.99, "reliable"),
        new RateCell(14.0, "LOW"),
        new RateCell(22.0, "reliable"),
        new RateCell(Double.NaN, "reliable"));
    XYPlot plot = (XYPlot) ReportCharts.distribution(cells, 5.0).getPlot();
    IntervalXYDataset data = (IntervalXYDataset) plot.getDataset(0);

    // Hand count; bins [0,5) [5,10) [10,15) [15,20) [20,25), the empty [15,20) included.
    Map<String, int[]> expected = new LinkedHashMap<>();
    expected.put(ReportCharts.RELIABLE, new int[] {2, 1, 0, 0, 1});
    expected.put(ReportCharts.LOW, new int[] {0, 1, 1, 0, 0});
    expected.put(ReportCharts.NO_INFO, new int[] {0, 1, 0, 0, 0});
    assertEquals(expected.size(), data.getSeriesCount());
    int s = 0;
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      assertEquals(e.getKey(), data.getSeriesKey(s));
      assertEquals(5, data.getItemCount(s));
      for (int bin = 0; bin < 5; bin++) {
        assertEquals(bin * 5.0, data.getStartXValue(s, bin), 1e-12);
        assertEquals(bin * 5.0 + 5.0, data.getEndXValue(s, bin), 1e-12);
        assertEquals(e.getValue()[bin], data.getYValue(s, bin), e.getKey() + " bin " + bin);
      }
      s++;
    }
  }

  @Test
  void distributionRejectsUnknownReliabilityAndBadBinWidth() {
    assertThrows(IllegalArgumentException.class,
        () -> ReportCharts.distribution(List.of(new RateCell(3.0, "suppressed")), 1.0));
    assertThrows(IllegalArgumentException.class, () -> ReportCharts.distribution(List.of(), 0.0));
    assertThrows(IllegalArgumentException.class,
        () -> ReportCharts.distribution(List.of(new RateCell(0.0, null), new RateCell(90.0, null)), 0.001));
  }

  @Test
  void trendsKeepTheTwelveCountriesWithMostYears() {
    List<CountryYear> rows = new ArrayList<>();
    for (int c = 0; c < 14; c++) {
      String country = "C" + (char) ('A' + c);
      // CA and CB have one year each; the rest have three.
      int years = c < 2 ? 1 : 3;
      for (int y = 0; y < years; y++) {
        rows.add(new CountryYear(country, 2015 + y, 5.0 + c + y));
      }
    }
    JFreeChart chart = ReportCharts.trends(rows);
    XYPlot plot = (XYPlot) chart.getPlot();
    XYDataset data = plot.getDataset();
    assertEquals(ReportCharts.MAX_TREND_COUNTRIES, data.getSeriesCount());
    for (int s = 0; s < data.getSeriesCount(); s++) {
      assertFalse(List.of("CA", "CB").contains((String) data.getSeriesKey(s)));
      assertEquals(3, data.getItemCount(s));
    }
    assertEquals(2017.0, data.getXValue(data.getSeriesCount() - 1, 2));
    assertTrue(subtitles(chart).stream().anyMatch(t -> t.contains("12 of 14")), subtitles(chart).toString());
    assertEquals("2015", ((NumberAxis) plot.getDomainAxis()).getNumberFormatOverride().format(2015));
    assertNotNull(chart.getLegend());

    JFreeChart few = ReportCharts.trends(rows.subList(0, 2));
    assertTrue(subtitles(few).isEmpty());
    assertNull(ReportCharts.trends(rows.subList(0, 1)).getLegend(), "no legend for a single line");
  }

  @Test
  void trendsRejectTwoRowsForOneCountryYear() {
    assertThrows(IllegalArgumentException.class, () -> ReportCharts.trends(
        List.of(new CountryYear("DE", 2020, 8.0), new CountryYear("DE", 2020, 9.0))));
  }

  @Test
  void hostileTextIsEscapedInSvg() throws Exception {
    List<JFreeChart> charts = List.of(
        ReportCharts.trends(List.of(new CountryYear(HOSTILE, 2020, 8.0), new CountryYear("&", 2020, 9.0),
            new CountryYear("A & B", 2021, 9.5))),
        ReportCharts.scatter(POINTS, HOSTILE + " & rate", "log \"productivity\" 'x'"),
        ReportCharts.coefficients(List.of(new Estimate(HOSTILE, 0.01, 0.0, 0.02), new Estimate("&", 0, -1, 1)),
            "term & <b>"));
    int n = 0;
    for (JFreeChart chart : charts) {
      String svg = ReportCharts.svg(chart, 480, 320, "hostile-" + n++);
      assertFalse(svg.contains("<script"), svg);
      assertFalse(svg.contains("<b>"));
      // Escaped, not dropped: the text survives as text.
      String text = parse(svg).getDocumentElement().getTextContent();
      assertTrue(text.contains(HOSTILE), text);
      assertTrue(text.contains("&"), text);
    }
  }

  @Test
  void controlCharactersInTextFromInputsBecomeSpacesInSvg() throws Exception {
    String svg = ReportCharts.svg(ReportCharts.ranks(List.of(new Estimate("XX11 Bad\u0007\u0000name", 1, 1, 2)), 3),
        480, 320, "ranks-control");
    // XML 1.0 refuses these characters: the element must still parse, with the name's text kept.
    assertTrue(parse(svg).getDocumentElement().getTextContent().contains("XX11 Bad  name"), svg);
  }

  @Test
  void svgRejectsIdsThatCouldBreakOutOfTheAttribute() {
    JFreeChart chart = ReportCharts.trends(List.of());
    for (String id : List.of("", "a'b", "a\"b", "1abc", "a b", "a<b")) {
      assertThrows(IllegalArgumentException.class, () -> ReportCharts.svg(chart, 100, 100, id), id);
    }
  }

  @Test
  void imageHasTheScaledSizeAndIsNotBlank() {
    for (JFreeChart chart : sampleCharts().values()) {
      BufferedImage image = image(chart, 300, 200, 2.0);
      assertEquals(600, image.getWidth());
      assertEquals(400, image.getHeight());
      assertTrue(colours(image) > 1, "image is one colour");
      // The white chart background reaches the far corner only if the drawing was scaled to the whole image.
      assertEquals(0xFFFFFF, image.getRGB(599, 399) & 0xFFFFFF);
    }
  }

  /**
   * A chart or map drawn by Java2D, laid out at {@code width x height} and then scaled (fonts and lines keep their
   * proportions): what a test looks at pixel by pixel.
   */
  static BufferedImage image(Drawable chart, int width, int height, double scale) {
    BufferedImage image = new BufferedImage((int) Math.round(width * scale), (int) Math.round(height * scale),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = image.createGraphics();
    try {
      g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g2.scale(scale, scale);
      chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
    } finally {
      g2.dispose();
    }
    return image;
  }

  private static Map<String, JFreeChart> sampleCharts() {
    Map<String, JFreeChart> charts = new LinkedHashMap<>();
    charts.put("scatter", ReportCharts.scatter(POINTS, "Learning rate (%)", "log productivity"));
    charts.put("trends", ReportCharts.trends(List.of(new CountryYear("DE", 2019, 8.0),
        new CountryYear("DE", 2020, 8.5), new CountryYear("FR", 2019, 11.0), new CountryYear("FR", 2020, 12.5))));
    charts.put("coefficients", ReportCharts.coefficients(List.of(new Estimate("pooled", 0.01, 0.004, 0.016),
        new Estimate("FE", 0.002, -0.003, 0.007)), "learning rate (+1 pp)"));
    charts.put("ranks", ReportCharts.ranks(List.of(new Estimate("SE11 Stockholm", 2, 1, 5),
        new Estimate("AT13 Wien", 7.5, 3, 12)), 20));
    charts.put("distribution", ReportCharts.distribution(List.of(new RateCell(3.0, "reliable"),
        new RateCell(4.0, "low"), new RateCell(11.0, null), new RateCell(12.0, "reliable")), 2.0));
    return charts;
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    // An SVG with a DOCTYPE could pull in external entities; inline SVG never needs one.
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Attr> attributes(Element root) {
    List<Attr> out = new ArrayList<>();
    NodeList all = root.getElementsByTagName("*");
    for (int i = -1; i < all.getLength(); i++) {
      NamedNodeMap attrs = (i < 0 ? root : all.item(i)).getAttributes();
      for (int j = 0; j < attrs.getLength(); j++) {
        out.add((Attr) attrs.item(j));
      }
    }
    return out;
  }

  private static Set<String> ids(Document doc) {
    Set<String> ids = new HashSet<>();
    for (Attr a : attributes(doc.getDocumentElement())) {
      if (a.getName().equals("id")) {
        ids.add(a.getValue());
      }
    }
    return ids;
  }

  private static Set<String> references(String svg) {
    Set<String> refs = new HashSet<>();
    Matcher m = Pattern.compile("url\\(#([^)]+)\\)").matcher(svg);
    while (m.find()) {
      refs.add(m.group(1));
    }
    return refs;
  }

  private static List<String> subtitles(JFreeChart chart) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < chart.getSubtitleCount(); i++) {
      Title t = chart.getSubtitle(i);
      if (t instanceof TextTitle text) {
        out.add(text.getText());
      }
    }
    return out;
  }

  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight() && seen.size() < 3; y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
