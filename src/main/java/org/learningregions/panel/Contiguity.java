package org.learningregions.panel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.learningregions.validate.NutsBoundaries;

/**
 * The spatial weights of gold.region_neighbours: queen contiguity between regions, the nearest region for those
 * without one, row-standardised (docs/METHODS.md, "Spatial weights").
 *
 * <p><b>Queen contiguity from shared vertices.</b> Two regions are neighbours when their boundaries share at least
 * one point, and that is tested as: they have at least one vertex with exactly the same coordinates. This is valid for
 * GISCO's NUTS files (Nuts2json) because they are built topologically: each stretch of boundary between two regions
 * is one arc, generalised once and written into both regions, so neighbouring regions carry identical vertices
 * wherever they meet, including at every point where three or more regions meet (the nodes of the topology). The
 * assumption is therefore that regions which touch have a common vertex; two polygons digitised independently (a
 * vertex of one lying inside an edge of the other, or coordinates that differ by rounding) would need a geometric
 * intersection test instead, which this class does not do. The checks in ../shared/data/real/geo/SOURCES.md confirm
 * the vertex sharing of the 20M and 60M files. Consequences of working on the generalised file: regions that touch
 * only over a stretch shorter than the generalisation (rare) may lose their contact, and regions separated by water
 * are not neighbours even when joined by a bridge or tunnel (e.g. Sicily and Calabria; Denmark's islands).
 *
 * <p><b>Regions without a queen neighbour</b> (islands and enclaves by sea: e.g. Cyprus, Malta, Iceland, the
 * Balearics, Canarias, Corsica, Sicily, Sardinia, Åland, Ceuta, Melilla, several Greek island regions) get the region
 * whose centroid is nearest to theirs (Euclidean distance between area-weighted centroids of all their parts, in the
 * file's projected metres), marked {@code nearest}. The reverse link is added too, also marked {@code nearest}, so
 * the unstandardised structure (before weights) is symmetric: region i lists j exactly when j lists i. A region may
 * therefore have queen neighbours and a {@code nearest} link from an island (Andalucía and Ceuta). The search is over
 * all regions of the file, across national borders (Cyprus's nearest region is in Türkiye): restricting it to the
 * same country would leave single-region countries (CY00, MT00, IS00) without any neighbour, and a spillover does not
 * stop at a border. A nearest region absent from the panel's data simply contributes no value (see
 * {@link SpatialLag}).
 *
 * <p><b>Row standardisation.</b> Each of region i's links gets weight {@code 1 / n_i}, n_i the number of its
 * neighbours (queen and nearest alike), so the weights of a region sum to 1 and W x is the average of the neighbours'
 * x. Row-standardised weights are not symmetric in general (w_ij = 1/n_i, w_ji = 1/n_j).
 *
 * <p>The structure is a lookup of a few hundred regions computed on the driver from a file of a few hundred KB (its
 * cost does not grow with the data), then handed to Spark as a small DataFrame that is broadcast where it is joined.
 */
public final class Contiguity {
  /** {@code how} of a link between regions that share a boundary point. */
  public static final String QUEEN = "queen";
  /** {@code how} of a link between a region without queen neighbours and the region with the nearest centroid. */
  public static final String NEAREST = "nearest";

  /** The columns of gold.region_neighbours. */
  public static final StructType SCHEMA = new StructType()
      .add("region_code", DataTypes.StringType, false)
      .add("neighbour_code", DataTypes.StringType, false)
      .add("weight", DataTypes.DoubleType, false)
      .add("how", DataTypes.StringType, false)
      .add("n_neighbours", DataTypes.IntegerType, false);

  /**
   * One row of gold.region_neighbours.
   *
   * @param regionCode region i
   * @param neighbourCode its neighbour j
   * @param weight w_ij = 1 / nNeighbours
   * @param how {@link #QUEEN} or {@link #NEAREST}
   * @param nNeighbours number of region i's neighbours
   */
  public record Link(String regionCode, String neighbourCode, double weight, String how, int nNeighbours) {}

  private final SortedMap<String, SortedMap<String, String>> links;

  private Contiguity(SortedMap<String, SortedMap<String, String>> links) {
    this.links = links;
  }

  /** The contiguity structure of {@code regions} (codes must be distinct, as {@link NutsBoundaries} ensures). */
  public static Contiguity of(List<NutsBoundaries.Region> regions) {
    SortedMap<String, SortedMap<String, String>> links = new TreeMap<>();
    Map<Vertex, List<String>> byVertex = new HashMap<>();
    for (NutsBoundaries.Region r : regions) {
      links.put(r.code(), new TreeMap<>());
      for (List<long[]> polygon : r.polygons()) {
        for (long[] ring : polygon) {
          for (int i = 0; i < ring.length; i += 2) {
            List<String> at = byVertex.computeIfAbsent(new Vertex(ring[i], ring[i + 1]), v -> new ArrayList<>(2));
            if (!at.contains(r.code())) {
              at.add(r.code());
            }
          }
        }
      }
    }
    for (List<String> at : byVertex.values()) {
      for (String a : at) {
        for (String b : at) {
          if (!a.equals(b)) {
            links.get(a).put(b, QUEEN);
          }
        }
      }
    }
    // Islands are decided on queen links alone, before any nearest link is added, so the order does not matter.
    List<String> islands = links.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
        .toList();
    if (!islands.isEmpty() && regions.size() > 1) {
      Map<String, double[]> centroids = new HashMap<>();
      for (NutsBoundaries.Region r : regions) {
        centroids.put(r.code(), r.centroid());
      }
      for (String island : islands) {
        double[] c = centroids.get(island);
        String nearest = null;
        double best = Double.POSITIVE_INFINITY;
        // Regions in code order, strict improvement only: ties go to the first code, deterministically.
        for (String other : links.keySet()) {
          if (!other.equals(island)) {
            double[] o = centroids.get(other);
            double d = Math.hypot(c[0] - o[0], c[1] - o[1]);
            if (d < best) {
              best = d;
              nearest = other;
            }
          }
        }
        links.get(island).put(nearest, NEAREST);
        links.get(nearest).putIfAbsent(island, NEAREST);
      }
    }
    return new Contiguity(links);
  }

  /** Every region's code, sorted. */
  public List<String> regions() {
    return List.copyOf(links.keySet());
  }

  /** Region {@code code}'s neighbours with how each is linked, by code; empty for an unknown code. */
  public SortedMap<String, String> neighbours(String code) {
    SortedMap<String, String> n = links.get(code);
    return n == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(n);
  }

  /** Regions without a queen neighbour (whose links are all {@code nearest} links they were given), sorted. */
  public List<String> islands() {
    return links.entrySet().stream().filter(e -> !e.getValue().containsValue(QUEEN)).map(Map.Entry::getKey)
        .toList();
  }

  /** The number of links (ordered pairs); twice the number of neighbouring pairs, the structure being symmetric. */
  public int linkCount() {
    return links.values().stream().mapToInt(Map::size).sum();
  }

  /** The row-standardised links, by region then neighbour code. */
  public List<Link> rowStandardised() {
    List<Link> out = new ArrayList<>();
    links.forEach((region, neighbours) -> {
      int n = neighbours.size();
      neighbours.forEach((neighbour, how) -> out.add(new Link(region, neighbour, 1.0 / n, how, n)));
    });
    return out;
  }

  /** {@link #rowStandardised()} as a DataFrame of {@link #SCHEMA} (a few thousand rows). */
  public Dataset<Row> toDataFrame(SparkSession spark) {
    List<Row> rows = rowStandardised().stream()
        .map(l -> RowFactory.create(l.regionCode(), l.neighbourCode(), l.weight(), l.how(), l.nNeighbours()))
        .toList();
    return spark.createDataFrame(rows, SCHEMA);
  }


  private record Vertex(long x, long y) {}
}
