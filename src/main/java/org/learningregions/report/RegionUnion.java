package org.learningregions.report;

import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.learningregions.validate.NutsBoundaries;

/**
 * Regions of a map drawn at a coarser level than the boundary file's: an OECD TL2 region that is a NUTS 1 region is
 * the union of the NUTS 2 boundaries it covers, without their inner borders, so {@link RegionMap} fills and titles it
 * as one region.
 */
final class RegionUnion {
  private RegionUnion() {}

  /**
   * The regions of a map whose units are not all NUTS 2 (an OECD TL2 panel: NUTS 1 in Germany, France and the United
   * Kingdom): a code that is a region of {@code nuts2} is drawn as it is, a shorter code as the union of the regions
   * its code prefixes (a NUTS 1 region from its NUTS 2 regions, without their inner borders). A code without
   * boundaries (Açores and Madeira are not in the embedded file) is left out.
   *
   * @param names the codes to draw, each with its name (null keeps the boundary file's)
   */
  static List<NutsBoundaries.Region> dissolve(List<NutsBoundaries.Region> nuts2, Map<String, String> names) {
    Map<String, NutsBoundaries.Region> byCode = new LinkedHashMap<>();
    nuts2.forEach(r -> byCode.put(r.code(), r));
    List<NutsBoundaries.Region> out = new ArrayList<>();
    names.forEach((code, name) -> {
      NutsBoundaries.Region exact = byCode.get(code);
      if (exact != null) {
        out.add(new NutsBoundaries.Region(code, name == null ? exact.name() : name, exact.polygons()));
        return;
      }
      // Java2D's Area computes the exact union; the parts share their border vertices (a topological build), so
      // the inner borders cancel.
      Area union = new Area();
      nuts2.stream().filter(r -> r.code().startsWith(code)).forEach(r -> union.add(new Area(RegionMap.shape(r,
          new AffineTransform()))));
      if (!union.isEmpty()) {
        out.add(new NutsBoundaries.Region(code, name, polygons(union)));
      }
    });
    return out;
  }

  /** The outline of an area as polygons: each outer ring with the holes inside it. */
  private static List<List<long[]>> polygons(Area area) {
    List<long[]> rings = new ArrayList<>();
    List<Long> ring = new ArrayList<>();
    double[] c = new double[6];
    for (PathIterator it = area.getPathIterator(null); !it.isDone(); it.next()) {
      int type = it.currentSegment(c);
      if (type == PathIterator.SEG_MOVETO) {
        ring.clear();
      }
      if (type == PathIterator.SEG_MOVETO || type == PathIterator.SEG_LINETO) {
        ring.add(Math.round(c[0]));
        ring.add(Math.round(c[1]));
      } else if (type == PathIterator.SEG_CLOSE && ring.size() >= 6) {
        ring.add(ring.get(0));
        ring.add(ring.get(1));
        rings.add(ring.stream().mapToLong(Long::longValue).toArray());
      }
    }
    // Area winds outer rings one way and holes the other: the largest ring is an outer one.
    double outerSign = Math.signum(rings.stream().mapToDouble(RegionUnion::signedArea)
        .reduce(0, (a, b) -> Math.abs(b) > Math.abs(a) ? b : a));
    List<List<long[]>> polygons = new ArrayList<>();
    List<Path2D> outlines = new ArrayList<>();
    for (long[] r : rings) {
      if (Math.signum(signedArea(r)) == outerSign) {
        polygons.add(new ArrayList<>(List.of(r)));
        outlines.add(path(r));
      }
    }
    for (long[] r : rings) {
      if (Math.signum(signedArea(r)) != outerSign) {
        for (int i = 0; i < outlines.size(); i++) {
          if (outlines.get(i).contains(r[0], r[1])) {
            polygons.get(i).add(r);
            break;
          }
        }
      }
    }
    return polygons;
  }

  private static double signedArea(long[] ring) {
    double a = 0;
    for (int i = 0; i + 3 < ring.length; i += 2) {
      a += (double) ring[i] * ring[i + 3] - (double) ring[i + 2] * ring[i + 1];
    }
    return a / 2;
  }

  private static Path2D path(long[] ring) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(ring[0], ring[1]);
    for (int i = 2; i + 1 < ring.length; i += 2) {
      p.lineTo(ring[i], ring[i + 1]);
    }
    p.closePath();
    return p;
  }

}
