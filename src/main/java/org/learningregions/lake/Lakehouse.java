package org.learningregions.lake;

import static org.apache.spark.sql.functions.col;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.learningregions.LearningRegionsException;

/**
 * The Delta lakehouse under one root URI: where each table lives ({@code <root>/<layer>/<name>}), its versions and
 * history, reads, and the {@link TableWriter} that commits to it. Every write is one Delta commit that carries the
 * run id as user metadata, so {@code history} ties versions to runs. Versions and the small bookkeeping tables are
 * read with Delta Kernel, without Spark; the SparkSession is only started when data is read or written, so a run
 * that finds nothing to do never starts it.
 */
public final class Lakehouse {
  private final Supplier<SparkSession> spark;
  private final Configuration hadoop;
  private final String root;
  private final Engine engine;
  private final TableVersions versions;

  /**
   * @param spark the session, started on first use
   * @param hadoop the Hadoop configuration files and tables are reached with (the session's, or the same settings)
   */
  public Lakehouse(Supplier<SparkSession> spark, Configuration hadoop, String root) {
    this.spark = spark;
    this.hadoop = hadoop;
    this.root = absolute(root);
    this.engine = DefaultEngine.create(hadoop);
    this.versions = new TableVersions(spark, engine);
  }

  /** A lakehouse on a running session (tests, notebooks). */
  public Lakehouse(SparkSession session, String root) {
    this(() -> session, session.sparkContext().hadoopConfiguration(), root);
  }

  /** Local paths are made absolute so that catalog registration and Delta agree on one location. */
  public static String absolute(String root) {
    String trimmed = root.replaceAll("/+$", "");
    if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
      return trimmed;
    }
    return new java.io.File(trimmed).getAbsoluteFile().toPath().normalize().toString();
  }

  /** The session, started now if it was not. */
  public SparkSession spark() {
    return spark.get();
  }

  public Configuration hadoop() {
    return hadoop;
  }

  public String root() {
    return root;
  }

  public String path(TableId table) {
    return root + "/" + table.layer() + "/" + table.name();
  }

  /** Commits to this lakehouse on behalf of run {@code runId}. */
  public TableWriter writer(String runId) {
    return new TableWriter(this, runId);
  }

  public boolean exists(TableId table) {
    return version(table) >= 0;
  }

  /** Latest Delta version of the table, -1 when it does not exist. */
  public long version(TableId table) {
    return versions.latest(path(table));
  }

  /** Latest Delta version at any path, -1 when there is no table there. */
  public long versionAt(String path) {
    return versions.latest(path);
  }

  public Dataset<Row> read(TableId table) {
    if (!exists(table)) {
      throw LearningRegionsException.failure("table " + table + " does not exist in lakehouse " + root
          + " (run the stage that writes it first)");
    }
    return spark().read().format("delta").load(path(table));
  }

  /** The table as it was at {@code version} (Delta time travel). */
  public Dataset<Row> readVersion(TableId table, long version) {
    return spark().read().format("delta").option("versionAsOf", version).load(path(table));
  }

  /**
   * Every row of a small bookkeeping table (meta.*, the model registry), read in this process without Spark; empty
   * when the table does not exist.
   */
  public List<Map<String, Object>> readSmall(TableId table) {
    if (!exists(table)) {
      return List.of();
    }
    return new SmallTableReader(engine).readAll(path(table));
  }

  public Dataset<Row> history(TableId table) {
    if (!exists(table)) {
      throw LearningRegionsException.failure("table " + table + " does not exist in lakehouse " + root);
    }
    return DeltaTable.forPath(spark(), path(table)).history()
        .select("version", "timestamp", "operation", "userMetadata", "operationMetrics")
        .orderBy(col("version").desc());
  }

  /** Every existing table, layer by layer. */
  public List<TableId> tables() {
    List<TableId> found = new ArrayList<>();
    try {
      FileSystem fs = new Path(root).getFileSystem(hadoop);
      for (String layer : TableId.LAYERS) {
        Path dir = new Path(root + "/" + layer);
        if (!fs.exists(dir)) {
          continue;
        }
        FileStatus[] entries = fs.listStatus(dir);
        java.util.Arrays.sort(entries, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus st : entries) {
          String name = st.getPath().getName();
          if (st.isDirectory() && name.matches("[a-z0-9_]+")) {
            TableId id = new TableId(layer, name);
            if (exists(id)) {
              found.add(id);
            }
          }
        }
      }
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot list lakehouse " + root + ": " + e.getMessage(), e);
    }
    return found;
  }

  /**
   * Registers every existing table as {@code layer.name} in the session catalog, for SQL. A session that served
   * another lakehouse before (a notebook, the tests) may hold the name at another location: that entry is
   * re-pointed, so that a statement never reaches the other lakehouse's table. Only external entries (made by
   * this method) are dropped, which removes the catalog entry and no data; a managed table of that name is an error.
   */
  public List<TableId> registerTables() {
    List<TableId> registered = tables();
    for (TableId id : registered) {
      String location = path(id);
      spark().sql("CREATE DATABASE IF NOT EXISTS " + id.layer());
      if (spark().catalog().tableExists(id.toString())) {
        Map<String, String> described = new java.util.HashMap<>();
        for (Row r : spark().sql("DESCRIBE TABLE EXTENDED " + id).collectAsList()) {
          described.put(String.valueOf(r.get(0)), String.valueOf(r.get(1)));
        }
        if (sameLocation(described.get("Location"), location)) {
          continue;
        }
        if (!"EXTERNAL".equalsIgnoreCase(described.get("Type"))) {
          throw LearningRegionsException.failure("the session catalog has a table " + id + " of its own (at "
              + described.get("Location") + "), not the lakehouse's " + location);
        }
        spark().sql("DROP TABLE " + id);
      }
      spark().sql("CREATE TABLE " + id + " USING DELTA LOCATION '" + location.replace("'", "\\'") + "'");
    }
    return registered;
  }

  private static boolean sameLocation(String catalogued, String location) {
    if (catalogued == null) {
      return false;
    }
    return new Path(catalogued).toUri().getPath()
        .equals(new Path(location).toUri().getPath());
  }
}
