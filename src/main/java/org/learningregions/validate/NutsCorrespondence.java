package org.learningregions.validate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.learningregions.LearningRegionsException;

/**
 * How region codes of every NUTS version (2006, 2010, 2013, 2016, 2021, 2024) relate to a target version, built from
 * the JRC NUTS converter matrices (release 2025.08, level 2, shipped as resources under {@code nuts/converter/}).
 *
 * <p>Each matrix row is the intersection of an old and a new region with its 2021 population (pop21). An intersection
 * holding less than {@code sliverShare} of the old region's population is a digitisation sliver or a negligible
 * boundary correction and is ignored (the JRC polygons of unchanged regions overlap their neighbours by a few km²).
 * What is left classifies every old code:
 * <ul>
 *   <li>{@link Kind#IDENTITY} / {@link Kind#RECODE}: the region maps whole onto one target region that receives from
 *       no other (same or new code);</li>
 *   <li>{@link Kind#MERGE}: the region maps whole onto a target formed from several whole old regions; additive
 *       values can be summed when all {@code parts} are present;</li>
 *   <li>{@link Kind#UNCONVERTIBLE}: the region was split or its boundary moved; no value can be carried without
 *       inventing an allocation.</li>
 * </ul>
 * NUTS 1 relations are derived from the NUTS 2 matrices by grouping on the three-character parent code; countries
 * (NUTS 0) map to themselves. Level 3 has no matrix: level 3 codes are accepted only as codes of the target version.
 */
public final class NutsCorrespondence {
  /** How an old code relates to the target version. */
  public enum Kind { IDENTITY, RECODE, MERGE, UNCONVERTIBLE }

  /** The relation of one code of one version to the target version. */
  public record Mapping(int fromVersion, String fromCode, int level, String toCode, Kind kind, int parts) {}

  /** NUTS versions with JRC matrices, oldest first. */
  public static final List<Integer> VERSIONS = List.of(2006, 2010, 2013, 2016, 2021, 2024);

  private record Piece(String from, String to, double weight) {}

  private final int target;
  private final Map<Integer, Set<String>> codesByVersion;
  private final List<Mapping> mappings;

  private NutsCorrespondence(int target, Map<Integer, Set<String>> codesByVersion, List<Mapping> mappings) {
    this.target = target;
    this.codesByVersion = codesByVersion;
    this.mappings = mappings;
  }

  /** Relations of every version up to {@code target} to {@code target}. */
  public static NutsCorrespondence to(int target, double sliverShare) {
    if (!VERSIONS.contains(target) || target < 2013) {
      throw LearningRegionsException.usage("nuts.target-version must be one of 2013, 2016, 2021, 2024 (got " + target
          + ")");
    }
    Map<Integer, Set<String>> codes = new TreeMap<>();
    List<Mapping> out = new ArrayList<>();
    for (int v : VERSIONS) {
      if (v >= target) {
        break;
      }
      List<Piece> level2 = read(v, target);
      codes.put(v, sourceCodes(level2));
      codes.computeIfAbsent(target, k -> new TreeSet<>()).addAll(targetCodes(level2));
      out.addAll(classify(v, 2, level2, sliverShare));
      out.addAll(classify(v, 1, byParent(level2, 3), sliverShare));
      for (String country : prefixes(codes.get(v), 2)) {
        out.add(new Mapping(v, country, 0, country, Kind.IDENTITY, 1));
      }
    }
    Set<String> targetCodes = codes.computeIfAbsent(target, k -> new TreeSet<>());
    if (target == 2021) {
      // The classification adds level 3 and extra-regio codes the level 2 matrices do not list.
      targetCodes.addAll(NutsCatalog.nuts2021().codes());
    }
    Set<String> withParents = new TreeSet<>(targetCodes);
    withParents.addAll(prefixes(targetCodes, 3));
    withParents.addAll(prefixes(targetCodes, 2));
    for (String c : withParents) {
      out.add(new Mapping(target, c, c.length() - 2, c, Kind.IDENTITY, 1));
    }
    codes.put(target, Collections.unmodifiableSet(withParents));
    for (Map.Entry<Integer, Set<String>> e : codes.entrySet()) {
      if (e.getKey() != target) {
        Set<String> all = new TreeSet<>(e.getValue());
        all.addAll(prefixes(e.getValue(), 3));
        e.setValue(Collections.unmodifiableSet(all));
      }
    }
    return new NutsCorrespondence(target, Collections.unmodifiableMap(codes), List.copyOf(out));
  }

  public int target() {
    return target;
  }

  public List<Mapping> mappings() {
    return mappings;
  }

  /** NUTS 1 and 2 codes of each version (the evidence for detecting a file's version). */
  public Map<Integer, Set<String>> codesByVersion() {
    return codesByVersion;
  }

  /** The mapping of {@code code} in {@code version}, or null when that version has no such code. */
  public Mapping find(int version, String code) {
    for (Mapping m : mappings) {
      if (m.fromVersion() == version && m.fromCode().equals(code)) {
        return m;
      }
    }
    return null;
  }

  /** (version, code) of NUTS 1 and 2 codes, for detecting each file's version by a join. */
  public Dataset<Row> codeVersions(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    codesByVersion.forEach((v, set) -> set.stream().filter(c -> c.length() == 3 || c.length() == 4)
        .forEach(c -> rows.add(RowFactory.create(c, v))));
    StructType schema = new StructType()
        .add("cv_code", DataTypes.StringType, false)
        .add("cv_version", DataTypes.IntegerType, false);
    return spark.createDataFrame(rows, schema);
  }

  /** Every mapping as a small DataFrame for a broadcast join. */
  public Dataset<Row> toDataFrame(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Mapping m : mappings) {
      rows.add(RowFactory.create(m.fromVersion(), m.fromCode(), m.level(), m.toCode(),
          m.kind().name().toLowerCase(java.util.Locale.ROOT), m.parts()));
    }
    StructType schema = new StructType()
        .add("map_version", DataTypes.IntegerType, false)
        .add("map_code", DataTypes.StringType, false)
        .add("map_level", DataTypes.IntegerType, false)
        .add("map_target", DataTypes.StringType, false)
        .add("map_kind", DataTypes.StringType, false)
        .add("map_parts", DataTypes.IntegerType, false);
    return spark.createDataFrame(rows, schema);
  }

  static List<Mapping> classify(int version, int level, List<Piece> pieces, double sliverShare) {
    Map<String, Double> sourceTotal = new LinkedHashMap<>();
    Map<String, Double> sourceArea = new LinkedHashMap<>();
    pieces.forEach(p -> sourceTotal.merge(p.from(), p.weight(), Double::sum));
    pieces.forEach(p -> sourceArea.merge(p.from(), 1.0, Double::sum));
    Map<String, Set<String>> targetsOf = new TreeMap<>();
    Map<String, Set<String>> sourcesOf = new TreeMap<>();
    for (Piece p : pieces) {
      double total = sourceTotal.get(p.from());
      // Unpopulated regions (none in the matrices today) would divide by zero: then every piece counts.
      double share = total > 0 ? p.weight() / total : 1.0 / sourceArea.get(p.from());
      targetsOf.computeIfAbsent(p.from(), k -> new TreeSet<>());
      if (share >= sliverShare) {
        targetsOf.get(p.from()).add(p.to());
        sourcesOf.computeIfAbsent(p.to(), k -> new TreeSet<>()).add(p.from());
      }
    }
    List<Mapping> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : targetsOf.entrySet()) {
      String from = e.getKey();
      Set<String> targets = e.getValue();
      if (targets.size() != 1) {
        out.add(new Mapping(version, from, level, from, Kind.UNCONVERTIBLE, 0));
        continue;
      }
      String to = targets.iterator().next();
      Set<String> sources = sourcesOf.get(to);
      boolean whole = sources.stream().allMatch(s -> targetsOf.get(s).equals(Set.of(to)));
      if (!whole) {
        out.add(new Mapping(version, from, level, from, Kind.UNCONVERTIBLE, 0));
      } else if (sources.size() == 1) {
        out.add(new Mapping(version, from, level, to, from.equals(to) ? Kind.IDENTITY : Kind.RECODE, 1));
      } else {
        out.add(new Mapping(version, from, level, to, Kind.MERGE, sources.size()));
      }
    }
    return out;
  }

  private static List<Piece> byParent(List<Piece> level2, int length) {
    Map<String, Double> sums = new LinkedHashMap<>();
    for (Piece p : level2) {
      sums.merge(p.from().substring(0, length) + "|" + p.to().substring(0, length), p.weight(), Double::sum);
    }
    List<Piece> out = new ArrayList<>();
    sums.forEach((k, w) -> out.add(new Piece(k.substring(0, k.indexOf('|')), k.substring(k.indexOf('|') + 1), w)));
    return out;
  }

  private static Set<String> sourceCodes(List<Piece> pieces) {
    return collect(pieces, Piece::from);
  }

  private static Set<String> targetCodes(List<Piece> pieces) {
    return collect(pieces, Piece::to);
  }

  private static Set<String> collect(List<Piece> pieces, Function<Piece, String> f) {
    Set<String> out = new TreeSet<>();
    pieces.forEach(p -> out.add(f.apply(p)));
    return out;
  }

  private static Set<String> prefixes(Set<String> codes, int length) {
    Set<String> out = new TreeSet<>();
    codes.stream().filter(c -> c.length() >= length).forEach(c -> out.add(c.substring(0, length)));
    return out;
  }

  /** One JRC matrix: (old code, new code, pop21 of the intersection). */
  private static List<Piece> read(int from, int to) {
    String resource = "/nuts/converter/n2_cm_v" + from + "_v" + to + ".csv";
    List<Piece> out = new ArrayList<>();
    try (InputStream in = NutsCorrespondence.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<String> header = List.of(r.readLine().strip().split(","));
      int pop = header.indexOf("pop21");
      if (!header.get(0).equals("code_v" + from) || !header.get(1).equals("code_v" + to) || pop < 0) {
        throw new IllegalStateException("unexpected header in " + resource + ": " + header);
      }
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.strip().split(",", -1);
        if (f.length > pop && !f[0].isEmpty()) {
          out.add(new Piece(f[0], f[1], f[pop].isEmpty() ? 0.0 : Double.parseDouble(f[pop])));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
