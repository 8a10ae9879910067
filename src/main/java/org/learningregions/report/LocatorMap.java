package org.learningregions.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;
import org.learningregions.validate.NutsBoundaries;

/**
 * The small map beside a region's profile: its country's outline in grey with the region in blue, framed on the
 * country's mainland regions (the outermost regions, Canarias, Açores, Madeira and the French overseas regions, would
 * stretch the frame to the Atlantic; one of them is framed on itself). Inline SVG of a few kilobytes per region.
 */
final class LocatorMap {
  static final int SIZE = 150;
  private static final Set<String> OUTERMOST = Set.of("ES70", "PT20", "PT30", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5");
  private static final Color COUNTRY = new Color(0xd9, 0xd9, 0xd9);
  static final String REGION = "#2c7fb8";

  private LocatorMap() {}

  /** The locator of every region with a profile, by region code; regions without boundaries have none. */
  static Map<String, String> all(ReportFigures.Geography geo, ReportData d) {
    Map<String, NutsBoundaries.Region> regions = new HashMap<>();
    for (NutsBoundaries.Region r : geo.regions()) {
      regions.put(r.code(), r);
    }
    Map<String, NutsBoundaries.Region> countries = new HashMap<>();
    for (NutsBoundaries.Region c : geo.countries()) {
      countries.put(c.code(), c);
    }
    Map<String, Rectangle2D> mainland = new HashMap<>();
    for (NutsBoundaries.Region r : geo.regions()) {
      if (!OUTERMOST.contains(r.code())) {
        Rectangle2D b = RegionMap.shape(r, new AffineTransform()).getBounds2D();
        mainland.merge(country(r.code()), b, Rectangle2D::createUnion);
      }
    }
    Map<String, String> out = new HashMap<>();
    for (Row p : d.profiles()) {
      String code = p.getAs("region_code");
      NutsBoundaries.Region region = regions.get(code);
      if (region != null) {
        out.put(code, svg(region, countries.get(country(code)), OUTERMOST.contains(code) ? null
            : mainland.get(country(code))));
      }
    }
    return out;
  }

  private static String country(String regionCode) {
    return regionCode.substring(0, Math.min(2, regionCode.length()));
  }

  /** The locator of {@code region} within {@code country} (null: none), framed on {@code frame} (null: the region). */
  static String svg(NutsBoundaries.Region region, NutsBoundaries.Region country, Rectangle2D frame) {
    Shape own = RegionMap.shape(region, new AffineTransform());
    Rectangle2D f = frame == null ? own.getBounds2D() : frame.createUnion(own.getBounds2D());
    AffineTransform t = RegionMap.fit(f, new Rectangle2D.Double(2, 2, SIZE - 4, SIZE - 4), 0.04);
    SVGGraphics2D g = new SVGGraphics2D(SIZE, SIZE);
    g.setDefsKeyPrefix("loc-" + region.code() + "-");
    g.setGeomDoubleConverter(d -> String.valueOf(Math.round(d * 10) / 10.0));
    g.clip(new Rectangle2D.Double(0, 0, SIZE, SIZE));
    if (country != null) {
      g.setColor(COUNTRY);
      g.fill(RegionMap.shape(country, t));
    }
    g.setColor(Color.decode(REGION));
    Shape s = RegionMap.shape(region, t);
    g.fill(s);
    g.setColor(Color.WHITE);
    g.setStroke(new BasicStroke(0.4f));
    g.draw(s);
    String title = (region.name() == null ? "" : region.name() + " ") + "(" + region.code() + ")";
    String svg = g.getSVGElement("locator-" + region.code(), true, new ViewBox(0, 0, SIZE, SIZE), null, null);
    // The title says which region the map locates, for screen readers and on hover.
    return Html.clean(svg.replaceFirst(">", "><title>" + Html.escape(title) + "</title>"));
  }
}
