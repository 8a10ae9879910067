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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The NUTS 2021 classification (Eurostat, all levels 0-3, EU and statistical regions of EFTA, candidate countries and
 * the UK), shipped as a resource. Small: a few thousand codes, broadcast wherever it is joined.
 */
public final class NutsCatalog {
  /** One NUTS region. Level 0 is the country. */
  public record Region(String code, int level, String name, String country) {}

  private static volatile NutsCatalog nuts2021;

  private final Map<String, Region> byCode;

  private NutsCatalog(Map<String, Region> byCode) {
    this.byCode = Collections.unmodifiableMap(byCode);
  }

  public static NutsCatalog nuts2021() {
    if (nuts2021 == null) {
      synchronized (NutsCatalog.class) {
        if (nuts2021 == null) {
          nuts2021 = load("/nuts/NUTS2021.csv");
        }
      }
    }
    return nuts2021;
  }

  static NutsCatalog load(String resource) {
    Map<String, Region> map = new LinkedHashMap<>();
    try (InputStream in = NutsCatalog.class.getResourceAsStream(resource);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String header = r.readLine();
      if (header == null || !header.startsWith("code2021,")) {
        throw new IllegalStateException("unexpected NUTS resource header: " + header);
      }
      String line;
      while ((line = r.readLine()) != null) {
        // Names such as "Tekirdağ, Edirne, Kırklareli" (TR21) are quoted because they hold commas.
        String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
        for (int i = 0; i < f.length; i++) {
          f[i] = f[i].length() >= 2 && f[i].startsWith("\"") && f[i].endsWith("\"")
              ? f[i].substring(1, f[i].length() - 1).replace("\"\"", "\"") : f[i];
        }
        // Separator and section-title rows carry NA (or a quoted title) instead of a level: not regions.
        if (f.length < 6 || !f[5].matches("[0-3]")) {
          continue;
        }
        int level = Integer.parseInt(f[5]);
        String code = f[0].trim();
        String name = f[1 + level].trim().replaceAll("/ +", "/");
        map.put(code, new Region(code, level, name, code.substring(0, 2)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new NutsCatalog(map);
  }

  public Region get(String code) {
    return byCode.get(code);
  }

  public Set<String> codes() {
    return byCode.keySet();
  }

  /** Regions of one level in the given countries, in classification order, without extra-regio ("ZZ") codes. */
  public List<Region> regions(int level, List<String> countries) {
    List<Region> out = new ArrayList<>();
    for (Region r : byCode.values()) {
      if (r.level() == level && countries.contains(r.country()) && !r.code().endsWith("Z")) {
        out.add(r);
      }
    }
    return out;
  }

  /** The catalog as a small DataFrame (code, nuts_level, name, country) for broadcast joins. */
  public Dataset<Row> toDataFrame(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Region r : byCode.values()) {
      rows.add(RowFactory.create(r.code(), r.level(), r.name(), r.country()));
    }
    StructType schema = new StructType()
        .add("nuts_code", DataTypes.StringType, false)
        .add("nuts_level", DataTypes.IntegerType, false)
        .add("nuts_name", DataTypes.StringType, false)
        .add("nuts_country", DataTypes.StringType, false);
    return spark.createDataFrame(rows, schema);
  }
}
