package org.learningregions.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ui.Drawable;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;
import org.learningregions.validate.NutsBoundaries;

/**
 * A choropleth map of NUTS 2 regions, drawn with Java2D into inline SVG (the same in the HTML and the PDF): regions
 * filled by class of their value on a colour-blind-safe ColorBrewer palette (quantile classes; for changes and
 * residuals, classes of equal width around zero on a diverging palette), regions without a value in grey,
 * low-reliability values hatched, Europe's countries in light grey behind, the Canary Islands in an inset instead of a
 * frame stretched to the Atlantic, learning cities as points at their region's centroid, and a legend with the class
 * bounds and unit. In SVG every region carries a {@code <title>} (name, code, value, flag) and an id
 * ({@code <map id>-<code>}), so a reader can hover over a region and a test can find it.
 *
 * <p>Coordinates are those of the files, ETRS89-LAEA (EPSG:3035) metres, an equal-area projection made for Europe:
 * drawn as they are, with north up and one scale on both axes.
 */
final class RegionMap implements Drawable {
  /** ColorBrewer YlGnBu, 5 classes (colour-blind safe, prints in grey). */
  static final String[] YELLOW_GREEN_BLUE = {"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"};
  /** ColorBrewer PuBu, 5 classes. */
  static final String[] PURPLE_BLUE = {"#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"};
  /** ColorBrewer BrBG, 5 classes (diverging, colour-blind safe): falls brown, rises teal. */
  static final String[] BROWN_TEAL = {"#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571"};
  /** ColorBrewer PuOr, 5 classes (diverging, colour-blind safe): below the model orange, above purple. */
  static final String[] ORANGE_PURPLE = {"#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"};
  static final String NO_DATA = "#d9d9d9";
  private static final String INSET = "ES70";
  private static final Color BACKGROUND = new Color(0xf2, 0xf2, 0xf2);
  private static final Color TEXT = new Color(0x33, 0x33, 0x33);

  /** A region's value and whether it is of low reliability (hatched). */
  record Value(double value, boolean low) {}

  /** A named point drawn at the centroid of a region. */
  record Point(String label, String regionCode) {}

  /**
   * What one map shows.
   *
   * @param id the SVG id prefix of its regions
   * @param unit the unit of the values, for the legend
   * @param values by region code
   * @param palette class colours, lightest first
   * @param decimals decimals of the class bounds in the legend
   * @param diverging classes of equal width symmetric around zero (changes, residuals) instead of quantiles
   * @param hatchLabel what hatching means, in the legend
   */
  record Spec(String id, String unit, Map<String, Value> values, String[] palette, int decimals, List<Point> points,
      boolean diverging, String hatchLabel) {
    Spec(String id, String unit, Map<String, Value> values, String[] palette, int decimals, List<Point> points,
        boolean diverging) {
      this(id, unit, values, palette, decimals, points, diverging, "low reliability");
    }

    Spec(String id, String unit, Map<String, Value> values, String[] palette, int decimals, List<Point> points) {
      this(id, unit, values, palette, decimals, points, false);
    }
  }

  private final List<NutsBoundaries.Region> regions;
  private final List<NutsBoundaries.Region> countries;
  private final Spec spec;
  private final double[] breaks;
  private final Map<String, NutsBoundaries.Region> byCode = new LinkedHashMap<>();
  /** Every region but the inset one, in file coordinates: what the map area shows (null without regions). */
  private final Rectangle2D frame;

  RegionMap(List<NutsBoundaries.Region> regions, List<NutsBoundaries.Region> countries, Spec spec) {
    this.regions = regions;
    this.countries = countries;
    this.spec = spec;
    Rectangle2D f = null;
    for (NutsBoundaries.Region r : regions) {
      byCode.put(r.code(), r);
      if (!r.code().equals(INSET)) {
        Rectangle2D b = shape(r, new AffineTransform()).getBounds2D();
        f = f == null ? b : f.createUnion(b);
      }
    }
    this.frame = f;
    double[] values = spec.values().values().stream().mapToDouble(Value::value).toArray();
    this.breaks = spec.diverging() ? symmetricBreaks(values, spec.palette().length)
        : quantileBreaks(values, spec.palette().length);
  }

  /**
   * Class bounds at the quantiles 0, 1/k, ..., 1 of the values (R's type 7), equal bounds merged, so there are at
   * most k classes and each holds about the same number of regions.
   */
  static double[] quantileBreaks(double[] values, int k) {
    if (values.length == 0) {
      return new double[0];
    }
    double[] v = values.clone();
    Arrays.sort(v);
    List<Double> out = new ArrayList<>();
    for (int i = 0; i <= k; i++) {
      double h = (v.length - 1) * (double) i / k;
      int lo = (int) Math.floor(h);
      double q = v[lo] + (h - lo) * (v[Math.min(lo + 1, v.length - 1)] - v[lo]);
      if (out.isEmpty() || q > out.get(out.size() - 1)) {
        out.add(q);
      }
    }
    if (out.size() == 1) {
      out.add(out.get(0));
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * k classes of equal width from -m to m, m the largest absolute value, so that the middle class (the palette's
   * neutral colour, k odd) holds the values near zero and the sign reads from the hue.
   */
  static double[] symmetricBreaks(double[] values, int k) {
    double m = 0;
    for (double v : values) {
      m = Math.max(m, Math.abs(v));
    }
    if (values.length == 0) {
      return new double[0];
    }
    m = m == 0 ? 1 : m;
    double[] out = new double[k + 1];
    for (int i = 0; i <= k; i++) {
      out[i] = -m + 2 * m * i / k;
    }
    return out;
  }

  double[] breaks() {
    return breaks.clone();
  }

  /** The class of a value: the first whose upper bound is at least the value. */
  int classOf(double value) {
    for (int c = 0; c + 1 < breaks.length; c++) {
      if (value <= breaks[c + 1]) {
        return c;
      }
    }
    return Math.max(0, breaks.length - 2);
  }

  /** The fill of a region: its class colour, or grey without a value. */
  String colourOf(String code) {
    Value v = spec.values().get(code);
    if (v == null) {
      return NO_DATA;
    }
    String[] palette = spec.palette();
    int classes = Math.max(1, breaks.length - 1);
    // With fewer classes than colours (ties), spread them over the palette's range.
    int c = classOf(v.value());
    return palette[classes == 1 ? palette.length / 2 : Math.round((float) c * (palette.length - 1) / (classes - 1))];
  }

  @Override
  public void draw(Graphics2D g, Rectangle2D area) {
    g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
    double legendWidth = 190;
    g.setColor(Color.WHITE);
    g.fill(area);
    Rectangle2D map = new Rectangle2D.Double(area.getX() + 4, area.getY() + 4, area.getWidth() - legendWidth - 8,
        area.getHeight() - 40);
    if (frame == null) {
      return;
    }
    AffineTransform toMap = fit(frame, map, 0.02);
    Shape clip = g.getClip();
    g.clip(map);
    g.setColor(Color.WHITE);
    g.fill(map);
    g.setColor(BACKGROUND);
    for (NutsBoundaries.Region c : countries) {
      g.fill(shape(c, toMap));
    }
    for (NutsBoundaries.Region r : regions) {
      if (!r.code().equals(INSET)) {
        region(g, r, toMap);
      }
    }
    points(g, toMap, null);
    g.setClip(clip);
    inset(g, map);
    legend(g, new Rectangle2D.Double(map.getMaxX() + 12, area.getY() + 8, legendWidth - 16, area.getHeight() - 16));
    g.setColor(TEXT);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    g.drawString((spec.diverging() ? "Classes of equal width around zero" : "Quantile classes") + " of the "
        + spec.values().size() + " regions with a value. Inset: Canarias. Not shown: Açores, Madeira, the French "
        + "outermost regions.", (float) area.getX() + 4,
        (float) (area.getMaxY() - 20));
    g.drawString("© EuroGeographics for the administrative boundaries (Eurostat GISCO, NUTS 2021).",
        (float) area.getX() + 4, (float) (area.getMaxY() - 6));
  }

  /** The Canary Islands (ES70) in a box at the lower left, at their own scale. */
  private void inset(Graphics2D g, Rectangle2D map) {
    NutsBoundaries.Region canarias = byCode.get(INSET);
    if (canarias == null) {
      return;
    }
    Rectangle2D box = new Rectangle2D.Double(map.getX() + 4, map.getMaxY() - map.getHeight() * 0.16 - 4,
        map.getWidth() * 0.18, map.getHeight() * 0.16);
    g.setColor(Color.WHITE);
    g.fill(box);
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(0.6f));
    g.draw(box);
    AffineTransform t = fit(shape(canarias, new AffineTransform()).getBounds2D(), box, 0.12);
    region(g, canarias, t);
    points(g, t, INSET);
  }

  private void region(Graphics2D g, NutsBoundaries.Region r, AffineTransform t) {
    Shape s = shape(r, t);
    Value v = spec.values().get(r.code());
    if (g instanceof SVGGraphics2D) {
      g.setRenderingHint(SVGHints.KEY_ELEMENT_ID, spec.id() + "-" + r.code());
      g.setRenderingHint(SVGHints.KEY_ELEMENT_TITLE, (r.name() == null ? "" : r.name() + " ") + "(" + r.code()
          + "): " + (v == null ? "no data" : format(v.value(), spec.decimals() + 1) + " " + spec.unit()
          + (v.low() ? ", " + spec.hatchLabel() : "")));
    }
    g.setPaint(Color.decode(colourOf(r.code())));
    g.fill(s);
    if (v != null && v.low()) {
      hatch(g, s);
    }
    g.setColor(Color.WHITE);
    g.setStroke(new BasicStroke(0.35f));
    g.draw(s);
  }

  /** Diagonal lines clipped to the shape: prints and reads without colour. */
  private static void hatch(Graphics2D g, Shape s) {
    Shape clip = g.getClip();
    g.clip(s);
    Rectangle2D b = s.getBounds2D();
    g.setColor(new Color(0x40, 0x40, 0x40));
    g.setStroke(new BasicStroke(0.6f));
    for (double x = b.getX() - b.getHeight(); x < b.getMaxX(); x += 3.5) {
      g.draw(new java.awt.geom.Line2D.Double(x, b.getMaxY(), x + b.getHeight(), b.getY()));
    }
    g.setClip(clip);
  }

  /** Each point at its region's centroid, with its label; only those of {@code onlyRegion} when given. */
  private void points(Graphics2D g, AffineTransform t, String onlyRegion) {
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 10));
    for (Point p : spec.points()) {
      NutsBoundaries.Region r = byCode.get(p.regionCode());
      if (r == null || (onlyRegion != null) != r.code().equals(onlyRegion) || (onlyRegion == null
          && r.code().equals(INSET))) {
        continue;
      }
      double[] c = r.centroid();
      double[] xy = new double[2];
      t.transform(c, 0, xy, 0, 1);
      g.setColor(Color.BLACK);
      g.fill(new Ellipse2D.Double(xy[0] - 3, xy[1] - 3, 6, 6));
      g.setColor(Color.WHITE);
      g.setStroke(new BasicStroke(1f));
      g.draw(new Ellipse2D.Double(xy[0] - 3, xy[1] - 3, 6, 6));
      g.setColor(Color.BLACK);
      g.drawString(p.label(), (float) xy[0] + 5, (float) xy[1] + 4);
    }
  }

  private void legend(Graphics2D g, Rectangle2D box) {
    g.setColor(TEXT);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
    float y = (float) box.getY() + 12;
    g.drawString(spec.unit(), (float) box.getX(), y);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    y += 10;
    String[] palette = spec.palette();
    int classes = Math.max(0, breaks.length - 1);
    for (int c = classes - 1; c >= 0; c--) {
      int colour = classes == 1 ? palette.length / 2 : Math.round((float) c * (palette.length - 1) / (classes - 1));
      swatch(g, box.getX(), y, Color.decode(palette[colour]), false);
      g.setColor(TEXT);
      g.drawString(format(breaks[c], spec.decimals()) + " to " + format(breaks[c + 1], spec.decimals()),
          (float) box.getX() + 26, y + 11);
      y += 18;
    }
    swatch(g, box.getX(), y, Color.decode(NO_DATA), false);
    g.setColor(TEXT);
    g.drawString("no data", (float) box.getX() + 26, y + 11);
    if (spec.values().values().stream().anyMatch(Value::low)) {
      y += 18;
      swatch(g, box.getX(), y, Color.WHITE, true);
      g.setColor(TEXT);
      g.drawString(spec.hatchLabel(), (float) box.getX() + 26, y + 11);
    }
    if (!spec.points().isEmpty()) {
      y += 18;
      g.setColor(Color.BLACK);
      g.fill(new Ellipse2D.Double(box.getX() + 7, y + 4, 6, 6));
      g.setColor(TEXT);
      g.drawString("learning city (its region)", (float) box.getX() + 26, y + 11);
    }
  }

  private static void swatch(Graphics2D g, double x, float y, Color fill, boolean hatched) {
    Rectangle2D r = new Rectangle2D.Double(x, y, 20, 14);
    g.setColor(fill);
    g.fill(r);
    if (hatched) {
      hatch(g, r);
    }
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(0.6f));
    g.draw(r);
  }

  /** North up, one scale on both axes, the frame centred in the target with a relative margin. */
  static AffineTransform fit(Rectangle2D frame, Rectangle2D target, double margin) {
    double w = frame.getWidth() * (1 + 2 * margin);
    double h = frame.getHeight() * (1 + 2 * margin);
    double scale = Math.min(target.getWidth() / w, target.getHeight() / h);
    double dx = target.getX() + (target.getWidth() - frame.getWidth() * scale) / 2;
    double dy = target.getY() + (target.getHeight() - frame.getHeight() * scale) / 2;
    AffineTransform t = new AffineTransform();
    t.translate(dx, dy + frame.getHeight() * scale);
    t.scale(scale, -scale);
    t.translate(-frame.getX(), -frame.getY());
    return t;
  }

  /** A region's polygons (holes by the even-odd rule) under {@code t}. */
  static Shape shape(NutsBoundaries.Region r, AffineTransform t) {
    Path2D.Double p = new Path2D.Double(Path2D.WIND_EVEN_ODD);
    for (List<long[]> polygon : r.polygons()) {
      for (long[] ring : polygon) {
        for (int i = 0; i + 1 < ring.length; i += 2) {
          if (i == 0) {
            p.moveTo(ring[i], ring[i + 1]);
          } else {
            p.lineTo(ring[i], ring[i + 1]);
          }
        }
        p.closePath();
      }
    }
    p.transform(t);
    return p;
  }

  static String format(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
