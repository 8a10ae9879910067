package org.learningregions.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.learningregions.LearningRegionsException;

/**
 * Region boundaries read from a GeoJSON FeatureCollection such as GISCO's Nuts2json NUTS files
 * ({@code ../shared/data/real/geo/2021_3035_20M_nutsrg_2.json}): one feature per region, with {@code properties.id}
 * (the NUTS code), optionally {@code properties.na} (the name), and a Polygon or MultiPolygon geometry whose
 * coordinates are integers (EPSG:3035 metres in those files). Integers are required: {@link Contiguity} compares
 * vertices exactly, which is sound only for coordinates written by a topological build, never for rounded floats.
 *
 * <p>Any other input fails with a one-line {@link LearningRegionsException} naming the file and the problem: a
 * missing file, text that is not JSON, a document that is not a FeatureCollection, a feature without an id, a
 * repeated id, an unsupported or empty geometry, a non-integer coordinate.
 */
public final class NutsBoundaries {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NutsBoundaries() {}

  /**
   * One region's geometry.
   *
   * @param code the feature's {@code properties.id}
   * @param name the feature's {@code properties.na}, or null
   * @param polygons its polygons; each a list of rings (the outer ring first, then holes), each ring the flat array
   *     {@code x0, y0, x1, y1, ...} of its positions (closed: the last position repeats the first)
   */
  public record Region(String code, String name, List<List<long[]>> polygons) {
    public Region {
      polygons = List.copyOf(polygons);
    }

    /**
     * The area-weighted centroid {x, y} of all of a region's parts (shoelace formula per ring; holes subtract). Ring
     * orientation is not relied on: an outer ring counts positive and a hole negative whichever way each is wound.
     * A region of zero area (not in real files) falls back to the mean of its vertices.
     */
    public double[] centroid() {
      double area = 0;
      double mx = 0;
      double my = 0;
      double sx = 0;
      double sy = 0;
      long n = 0;
      for (List<long[]> polygon : polygons) {
        for (int r = 0; r < polygon.size(); r++) {
          long[] ring = polygon.get(r);
          double a = 0;
          double rx = 0;
          double ry = 0;
          for (int i = 0; i + 3 < ring.length; i += 2) {
            double x0 = ring[i];
            double y0 = ring[i + 1];
            double x1 = ring[i + 2];
            double y1 = ring[i + 3];
            double cross = x0 * y1 - x1 * y0;
            a += cross;
            rx += (x0 + x1) * cross;
            ry += (y0 + y1) * cross;
            sx += x0;
            sy += y0;
            n++;
          }
          // Twice the signed area and six times the signed moments; normalise the sign: outer +, holes -.
          double sign = Math.signum(a) * (r == 0 ? 1 : -1);
          area += sign * a / 2;
          mx += sign * rx / 6;
          my += sign * ry / 6;
        }
      }
      if (area == 0) {
        return new double[] {sx / n, sy / n};
      }
      return new double[] {mx / area, my / area};
    }

  }

  /** Where {@code classpath:} locations are looked up: resources of this jar. */
  public static final String CLASSPATH = "classpath:";

  /**
   * The bytes of a boundaries location: a file path (relative to the working directory) or {@code classpath:name}, a
   * resource of the jar (the NUTS 2021 boundaries the default configuration uses, so it needs no file beside the
   * clone).
   */
  public static byte[] bytes(String location) {
    if (location.startsWith(CLASSPATH)) {
      String name = location.substring(CLASSPATH.length());
      try (var in = NutsBoundaries.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw LearningRegionsException.failure("boundaries resource not found: " + location
              + " (panel.spatial.boundaries)");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw LearningRegionsException.failure("cannot read boundaries resource " + location + ": " + e.getMessage(),
            e);
      }
    }
    Path file = Path.of(location);
    if (!Files.isRegularFile(file)) {
      throw LearningRegionsException.failure("boundaries file not found: " + file.toAbsolutePath().normalize()
          + " (panel.spatial.boundaries; set it to \"\" to build the panel without spatial lags)");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot read boundaries file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Every feature of the file, in file order. */
  public static List<Region> read(Path file) {
    return read(file.toString());
  }

  /** Every feature of a file or {@code classpath:} resource ({@link #bytes}), in file order. */
  public static List<Region> read(String location) {
    byte[] content = bytes(location);
    Path file = Path.of(location.startsWith(CLASSPATH) ? location.substring(CLASSPATH.length()) : location);
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (JsonProcessingException e) {
      throw bad(file, "not JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot read boundaries file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !"FeatureCollection".equals(root.path("type").asText(null))
        || !root.path("features").isArray()) {
      throw bad(file, "not a GeoJSON FeatureCollection (expected {\"type\": \"FeatureCollection\", \"features\": "
          + "[...]})");
    }
    List<Region> regions = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int index = 0;
    for (JsonNode feature : root.get("features")) {
      JsonNode id = feature.path("properties").path("id");
      if (!id.isTextual() || id.asText().isBlank()) {
        throw bad(file, "feature " + index + " has no properties.id");
      }
      String code = id.asText();
      if (!seen.add(code)) {
        throw bad(file, "region " + code + " appears twice");
      }
      JsonNode name = feature.path("properties").path("na");
      regions.add(new Region(code, name.isTextual() ? name.asText() : null, polygons(file, code,
          feature.path("geometry"))));
      index++;
    }
    if (regions.isEmpty()) {
      throw bad(file, "the FeatureCollection has no features");
    }
    return regions;
  }

  private static List<List<long[]>> polygons(Path file, String code, JsonNode geometry) {
    String type = geometry.path("type").asText("(none)");
    JsonNode coordinates = geometry.path("coordinates");
    if (!coordinates.isArray() || coordinates.isEmpty()) {
      throw bad(file, "region " + code + " has no coordinates");
    }
    List<List<long[]>> out = new ArrayList<>();
    switch (type) {
      case "Polygon" -> out.add(polygon(file, code, coordinates));
      case "MultiPolygon" -> {
        for (JsonNode p : coordinates) {
          out.add(polygon(file, code, p));
        }
      }
      default -> throw bad(file, "region " + code + " has geometry " + type
          + "; only Polygon and MultiPolygon are supported");
    }
    return out;
  }

  private static List<long[]> polygon(Path file, String code, JsonNode rings) {
    if (!rings.isArray() || rings.isEmpty()) {
      throw bad(file, "region " + code + " has a polygon without rings");
    }
    List<long[]> out = new ArrayList<>();
    for (JsonNode ring : rings) {
      if (!ring.isArray() || ring.size() < 4) {
        throw bad(file, "region " + code + " has a ring with fewer than 4 positions");
      }
      long[] xy = new long[2 * ring.size()];
      int i = 0;
      for (JsonNode position : ring) {
        JsonNode x = position.path(0);
        JsonNode y = position.path(1);
        if (!x.canConvertToExactIntegral() || !y.canConvertToExactIntegral() || !x.canConvertToLong()
            || !y.canConvertToLong()) {
          throw bad(file, "region " + code + " has a position that is not two integers: " + position
              + " (exact-vertex contiguity needs integer coordinates, as in GISCO's EPSG:3035 files)");
        }
        xy[i++] = x.asLong();
        xy[i++] = y.asLong();
      }
      out.add(xy);
    }
    return out;
  }

  private static LearningRegionsException bad(Path file, String problem) {
    return LearningRegionsException.failure("boundaries file " + file + ": " + problem);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
