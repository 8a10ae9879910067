package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.learningregions.validate.NutsBoundaries;

/**
 * The choropleth map on the NUTS 2021 boundaries shipped in the jar: class bounds, the fill of a region of known
 * class and of a region without data, in the SVG and in the rendered image; the SVG and PNG are written under
 * target/maps for a person to look at.
 */
@Tag("fast")
class RegionMapTest {
  static final ReportFigures.Geography GEO = ReportFigures.Geography.load(
      "classpath:geo/nuts2021_nutsrg_2_3035_20M.json", "classpath:geo/countries_3035_60M.json");

  @Test
  void quantileBreaksAreRType7AndMergeTies() {
    assertArrayEquals(new double[] {1, 2, 3, 4, 5}, RegionMap.quantileBreaks(new double[] {5, 4, 3, 2, 1}, 4),
        1e-12);
    // R: quantile(c(1, 2, 3, 4, 10), c(0, .5, 1)) = 1, 3, 10.
    assertArrayEquals(new double[] {1, 3, 10}, RegionMap.quantileBreaks(new double[] {1, 2, 3, 4, 10}, 2), 1e-12);
    assertArrayEquals(new double[] {2, 2}, RegionMap.quantileBreaks(new double[] {2, 2, 2}, 5), 1e-12);
  }

  @Test
  void namesFromInputsReachTheSvgWithoutControlCharacters() {
    List<NutsBoundaries.Region> regions = List.of(new NutsBoundaries.Region("XX11", "Bad\u0007name",
        List.of(List.of(ring(0, 0, 10)))));
    RegionMap map = new RegionMap(regions, List.of(), new RegionMap.Spec("m", "%", Map.of("XX11",
        new RegionMap.Value(5, false)), RegionMap.YELLOW_GREEN_BLUE, 1, List.of(new RegionMap.Point(
            "<City>\u0000\u001b", "XX11"))));
    String svg = ReportCharts.svg(map, 300, 200, "m");
    assertTrue(Pattern.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]").matcher(svg).results().findAny().isEmpty(),
        "no control character in the SVG");
    assertTrue(svg.contains("Bad name (XX11)"), "the region's title, cleaned");
    assertTrue(svg.contains("&lt;City&gt;"), "the city's label, escaped");
  }

  @Test
  void dissolvedRegionsLoseTheirInnerBordersAndKeepTheirArea() {
    // Two unit squares side by side, and a frame around a hole beside a square: their NUTS 1 unions.
    List<NutsBoundaries.Region> parts = List.of(square("XX11", 0, 0, 10), square("XX12", 10, 0, 10),
        new NutsBoundaries.Region("YY11", null, List.of(List.of(ring(100, 0, 30), ring(110, 10, 10)))),
        square("YY12", 200, 0, 5));
    Map<String, String> names = new LinkedHashMap<>();
    names.put("XX1", "Two squares");
    names.put("YY1", null);
    names.put("YY12", null);
    names.put("ZZ1", "no boundaries");
    List<NutsBoundaries.Region> out = RegionUnion.dissolve(parts, names);
    assertEquals(List.of("XX1", "YY1", "YY12"), out.stream().map(NutsBoundaries.Region::code).toList());
    NutsBoundaries.Region xx = out.get(0);
    assertEquals("Two squares", xx.name());
    assertEquals(1, xx.polygons().size(), "one polygon: the shared border is gone");
    assertEquals(1, xx.polygons().get(0).size());
    assertEquals(4 + 1, xx.polygons().get(0).get(0).length / 2, "four corners, closed");
    assertEquals(200.0, area(xx), 1e-9);
    NutsBoundaries.Region yy = out.get(1);
    assertEquals(2, yy.polygons().size(), "the frame and the square far from it");
    assertEquals(900 - 100 + 25, area(yy), 1e-9);
    assertTrue(yy.polygons().stream().anyMatch(p -> p.size() == 2), "the hole stays inside its frame");
    assertEquals(25.0, area(out.get(2)), 1e-9);
    // Germany's NUTS 1 region DE1 from the shipped NUTS 2 regions: as large as its four parts together.
    NutsBoundaries.Region de1 = RegionUnion.dissolve(GEO.regions(), Map.of("DE1", "Baden-Württemberg")).get(0);
    double parts4 = GEO.regions().stream().filter(r -> r.code().startsWith("DE1")).mapToDouble(RegionMapTest::area)
        .sum();
    assertEquals(parts4, area(de1), parts4 * 1e-9);
    assertTrue(de1.polygons().size() < 4, "fewer outlines than parts: " + de1.polygons().size());
  }

  private static NutsBoundaries.Region square(String code, long x, long y, long side) {
    return new NutsBoundaries.Region(code, null, List.of(List.of(ring(x, y, side))));
  }

  private static long[] ring(long x, long y, long side) {
    return new long[] {x, y, x + side, y, x + side, y + side, x, y + side, x, y};
  }

  /** Outer rings minus holes (shoelace), whatever their winding. */
  private static double area(NutsBoundaries.Region r) {
    double total = 0;
    for (List<long[]> polygon : r.polygons()) {
      for (int i = 0; i < polygon.size(); i++) {
        long[] ring = polygon.get(i);
        double a = 0;
        for (int k = 0; k + 3 < ring.length; k += 2) {
          a += (double) ring[k] * ring[k + 3] - (double) ring[k + 2] * ring[k + 1];
        }
        total += (i == 0 ? 1 : -1) * Math.abs(a / 2);
      }
    }
    return total;
  }

  @Test
  void aRegionHasItsClassColourAndARegionWithoutDataIsGrey() throws Exception {
    Map<String, RegionMap.Value> values = new LinkedHashMap<>();
    int i = 0;
    // Every region but DE30 (Berlin) gets a value; FI1B (Helsinki-Uusimaa) the largest; FR10 is low reliability.
    for (NutsBoundaries.Region r : GEO.regions()) {
      if (!r.code().equals("DE30")) {
        values.put(r.code(), new RegionMap.Value(r.code().equals("FI1B") ? 99 : i++ % 40, r.code().equals("FR10")));
      }
    }
    RegionMap map = new RegionMap(GEO.regions(), GEO.countries(), new RegionMap.Spec("m", "% of adults 25-64", values,
        RegionMap.YELLOW_GREEN_BLUE, 1, List.of(new RegionMap.Point("Espoo", "FI1B"))));
    assertEquals(4, map.classOf(99));
    assertEquals("#253494", map.colourOf("FI1B"));
    assertEquals(RegionMap.NO_DATA, map.colourOf("DE30"));
    String svg = ReportCharts.svg(map, 760, 600, "fig-map");
    Path dir = Files.createDirectories(Path.of("target/maps"));
    Files.writeString(dir.resolve("region-map.svg"), svg);
    assertEquals(rgb("#253494"), fillOf(svg, "m-FI1B"));
    assertEquals(rgb(RegionMap.NO_DATA), fillOf(svg, "m-DE30"));
    assertTrue(svg.contains("<title>Helsinki-Uusimaa (FI1B): 99.00 % of adults 25-64</title>"), "tooltip");
    assertTrue(svg.contains("low reliability</title>"), "FR10's tooltip says low reliability");
    assertTrue(svg.contains(">no data<") && svg.contains(">low reliability<") && svg.contains("% of adults 25-64"),
        "legend");
    assertTrue(svg.contains("Espoo"), "learning city label");
    // The rendered image: Berlin's centre is grey, Helsinki-Uusimaa's is its class colour.
    BufferedImage image = ReportChartsTest.image(map, 760, 600, 1.0);
    ImageIO.write(image, "png", dir.resolve("region-map.png").toFile());
    assertEquals(Color.decode(RegionMap.NO_DATA).getRGB(), pixelAt(image, svg, "m-DE30"));
  }

  private static String rgb(String hex) {
    Color c = Color.decode(hex);
    return "rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ")";
  }

  /** The fill of the SVG element with this id (JFreeSVG writes it in the style attribute). */
  private static String fillOf(String svg, String id) {
    Matcher m = Pattern.compile("<[^>]*id=['\"]" + id + "['\"][^>]*>").matcher(svg);
    assertTrue(m.find(), "no element " + id);
    Matcher fill = Pattern.compile("fill(?:=['\"]|: ?)(rgb\\([0-9, ]+\\))").matcher(m.group());
    assertTrue(fill.find(), m.group());
    return fill.group(1).replace(" ", "");
  }

  /** The image's pixel at the middle of the bounding box of the region's path (Berlin is convex enough). */
  private static int pixelAt(BufferedImage image, String svg, String id) {
    // JFreeSVG wraps the region's path in a group that carries the id.
    Matcher m = Pattern.compile("<g[^>]*id=['\"]" + id + "['\"][^>]*>\\s*<path[^>]* d=['\"]([^'\"]+)['\"]")
        .matcher(svg);
    assertTrue(m.find(), "no path of " + id);
    Matcher d = m;
    Matcher num = Pattern.compile("(-?[0-9.]+)[ ,](-?[0-9.]+)").matcher(d.group(1));
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    while (num.find()) {
      double x = Double.parseDouble(num.group(1));
      double y = Double.parseDouble(num.group(2));
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    return image.getRGB((int) Math.round((minX + maxX) / 2), (int) Math.round((minY + maxY) / 2)) | 0xFF000000;
  }
}
