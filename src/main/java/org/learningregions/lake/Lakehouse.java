package org.learningregions.lake;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.delta.DeltaLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.learningregions.LearningRegionsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Delta lakehouse under one root URI. Writes are idempotent: a table is only committed to when its content
 * would change, so re-running a stage on the same inputs leaves every table, and its Delta version, as it was.
 * Each commit carries the run id as Delta user metadata, so {@code history} ties versions to runs.
 */
public final class Lakehouse {
  private static final Logger LOG = LoggerFactory.getLogger(Lakehouse.class);
  /** Relative tolerance under which two doubles count as the same stored value (summation order noise). */
  static final double RELATIVE_TOLERANCE = 1e-12;

  private final SparkSession spark;
  private final String root;

  public Lakehouse(SparkSession spark, String root, String runId) {
    this.spark = spark;
    this.root = absolute(root);
    spark.conf().set("spark.databricks.delta.commitInfo.userMetadata", runId);
  }

  /** Local paths are made absolute so that catalog registration and Delta agree on one location. */
  static String absolute(String root) {
    String trimmed = SparkSessions.trimSlash(root);
    if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
      return trimmed;
    }
    return new java.io.File(trimmed).getAbsoluteFile().toPath().normalize().toString();
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public String path(TableId table) {
    return root + "/" + table.layer() + "/" + table.name();
  }

  public boolean exists(TableId table) {
    return version(table) >= 0;
  }

  public Dataset<Row> read(TableId table) {
    if (!exists(table)) {
      throw LearningRegionsException.failure("table " + table + " does not exist in lakehouse " + root
          + " (run the stage that writes it first)");
    }
    return spark.read().format("delta").load(path(table));
  }

  /** Latest Delta version of the table, -1 when it does not exist (Delta's snapshot version of an empty log). */
  public long version(TableId table) {
    return version(spark, path(table));
  }

  /** Latest Delta version at any path, -1 when there is no table there. */
  public static long version(SparkSession spark, String path) {
    // The cached DeltaLog, brought up to date by listing the log: no Spark job, unlike history().
    return DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty()).version();
  }

  public Dataset<Row> history(TableId table) {
    if (!exists(table)) {
      throw LearningRegionsException.failure("table " + table + " does not exist in lakehouse " + root);
    }
    return DeltaTable.forPath(spark, path(table)).history()
        .select("version", "timestamp", "operation", "userMetadata", "operationMetrics")
        .orderBy(col("version").desc());
  }

  /**
   * Makes {@code data} the table's whole content, unless the table already holds the same rows (matched on
   * {@code keys}, doubles within {@link #RELATIVE_TOLERANCE}). The overwrite is one Delta commit: a run killed
   * midway leaves the previous version readable.
   */
  public WriteOutcome replace(TableId table, Dataset<Row> data, List<String> keys) {
    return withCommitRetries(table, () -> replaceOnce(table, data, keys));
  }

  /** Tries of one write when another writer commits to the same table first (Delta optimistic concurrency). */
  static final int COMMIT_ATTEMPTS = 6;
  private static final long FIRST_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 8000;

  /**
   * Runs one idempotent write, again when Delta rejects its commit because another writer committed first
   * ({@link java.util.ConcurrentModificationException}: concurrent append, delete, metadata or protocol change, or
   * the same table created twice). Safe because every write here re-reads the table and recomputes what to commit
   * from scratch. Waits double from {@value #FIRST_BACKOFF_MS} ms with jitter, as Iceberg's commit retries do; after
   * {@value #COMMIT_ATTEMPTS} tries the run fails with one line naming the table.
   */
  private WriteOutcome withCommitRetries(TableId table, java.util.function.Supplier<WriteOutcome> write) {
    long wait = FIRST_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        java.util.ConcurrentModificationException conflict = concurrentModification(e);
        if (conflict == null) {
          throw e;
        }
        if (attempt >= COMMIT_ATTEMPTS) {
          throw LearningRegionsException.failure(table + ": another writer kept committing to the same table; gave "
              + "up after " + attempt + " tries (" + conflict.getClass().getSimpleName() + "). The table is intact at "
              + "its last committed version; rerun when the other run has finished.", e);
        }
        long sleep = wait / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(wait / 2 + 1);
        LOG.warn("{}: concurrent commit by another writer ({}); retrying in {} ms (try {} of {})", table,
            conflict.getClass().getSimpleName(), sleep, attempt + 1, COMMIT_ATTEMPTS);
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        wait = Math.min(MAX_BACKOFF_MS, wait * 2);
      }
    }
  }

  private static java.util.ConcurrentModificationException concurrentModification(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.ConcurrentModificationException c) {
        return c;
      }
    }
    return null;
  }

  private WriteOutcome replaceOnce(TableId table, Dataset<Row> data, List<String> keys) {
    Dataset<Row> incoming = data.persist();
    try {
      long before = version(table);
      long rows = incoming.count();
      if (before >= 0 && sameContent(read(table), incoming, keys)) {
        LOG.info("{}: unchanged ({} rows, version {})", table, rows, before);
        return new WriteOutcome(table, before, before, 0, rows, false);
      }
      incoming.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path(table));
      long after = version(table);
      LOG.info("{}: wrote {} rows (version {})", table, rows, after);
      return new WriteOutcome(table, before, after, rows, rows, true);
    } finally {
      incoming.unpersist();
    }
  }

  /**
   * Inserts rows whose key is new and updates rows whose {@code compared} columns changed; rows already present with
   * the same values cause no commit at all. New rows only are appended (cheap); a MERGE runs only when existing rows
   * change. Each path is one atomic Delta commit.
   */
  public WriteOutcome upsert(TableId table, Dataset<Row> data, List<String> keys, List<String> compared) {
    return withCommitRetries(table, () -> upsertOnce(table, data, keys, compared));
  }

  private WriteOutcome upsertOnce(TableId table, Dataset<Row> data, List<String> keys, List<String> compared) {
    long before = version(table);
    if (before < 0) {
      data.write().format("delta").mode("overwrite").save(path(table));
      long after = version(table);
      long rows = read(table).count();
      LOG.info("{}: created with {} rows (version {})", table, rows, after);
      return new WriteOutcome(table, before, after, rows, rows, true);
    }
    Dataset<Row> existing = read(table);
    Dataset<Row> marked = existing.select(keyColumns(existing, keys, compared)).withColumn("__present", lit(true));
    Column joinCondition = null;
    for (String k : keys) {
      Column c = data.col(k).eqNullSafe(marked.col("__k_" + k));
      joinCondition = joinCondition == null ? c : joinCondition.and(c);
    }
    Column changed = lit(false);
    for (String c : compared) {
      changed = changed.or(differs(data.col(c), marked.col("__c_" + c), data.schema().apply(c)));
    }
    List<Column> out = new ArrayList<>();
    for (String c : data.columns()) {
      out.add(data.col(c));
    }
    out.add(marked.col("__present").isNotNull().as("__update"));
    Dataset<Row> changes = data.join(marked, joinCondition, "left")
        .filter(marked.col("__present").isNull().or(changed))
        .select(out.toArray(new Column[0])).localCheckpoint();
    Row tally = changes.agg(functions.count(lit(1)), functions.sum(col("__update").cast("long"))).head();
    long n = tally.getLong(0);
    long updates = tally.isNullAt(1) ? 0 : tally.getLong(1);
    if (n == 0) {
      long rows = existing.count();
      LOG.info("{}: unchanged ({} rows, version {})", table, rows, before);
      return new WriteOutcome(table, before, before, 0, rows, false);
    }
    Dataset<Row> rowsToWrite = changes.drop("__update");
    if (updates == 0) {
      // mergeSchema: a table written by an older version gains the columns a newer one adds (e.g. gold.model_runs).
      rowsToWrite.write().format("delta").mode("append").option("mergeSchema", "true").save(path(table));
    } else {
      Column mergeCondition = null;
      for (String k : keys) {
        Column c = col("t." + k).eqNullSafe(col("s." + k));
        mergeCondition = mergeCondition == null ? c : mergeCondition.and(c);
      }
      DeltaTable.forPath(spark, path(table)).as("t")
          .merge(rowsToWrite.as("s"), mergeCondition)
          .whenMatched().updateAll()
          .whenNotMatched().insertAll()
          .execute();
    }
    long after = version(table);
    long rows = read(table).count();
    LOG.info("{}: {} new and {} changed rows (version {}, {} rows)", table, n - updates, updates, after, rows);
    return new WriteOutcome(table, before, after, n, rows, true);
  }

  private static Column[] keyColumns(Dataset<Row> existing, List<String> keys, List<String> compared) {
    List<Column> cols = new ArrayList<>();
    for (String k : keys) {
      cols.add(existing.col(k).as("__k_" + k));
    }
    for (String c : compared) {
      cols.add(existing.col(c).as("__c_" + c));
    }
    return cols.toArray(new Column[0]);
  }

  /** True when both datasets hold the same rows by key, with doubles compared within the tolerance. */
  static boolean sameContent(Dataset<Row> stored, Dataset<Row> incoming, List<String> keys) {
    if (!sameColumns(stored, incoming)) {
      return false;
    }
    if (stored.count() != incoming.count()) {
      return false;
    }
    Dataset<Row> a = stored.withColumn("__a", lit(true)).alias("a");
    Dataset<Row> b = incoming.withColumn("__b", lit(true)).alias("b");
    Column on = lit(true);
    for (String k : keys) {
      on = on.and(col("a." + k).eqNullSafe(col("b." + k)));
    }
    Column mismatch = col("a.__a").isNull().or(col("b.__b").isNull());
    for (StructField f : incoming.schema().fields()) {
      if (!keys.contains(f.name())) {
        mismatch = mismatch.or(differs(col("a." + f.name()), col("b." + f.name()), f));
      }
    }
    return a.join(b, on, "full_outer").filter(mismatch).limit(1).count() == 0;
  }

  private static boolean sameColumns(Dataset<Row> a, Dataset<Row> b) {
    StructField[] fa = a.schema().fields();
    StructField[] fb = b.schema().fields();
    if (fa.length != fb.length) {
      return false;
    }
    for (int i = 0; i < fa.length; i++) {
      if (!fa[i].name().equals(fb[i].name()) || !fa[i].dataType().equals(fb[i].dataType())) {
        return false;
      }
    }
    return true;
  }

  private static Column differs(Column a, Column b, StructField field) {
    if (field.dataType().equals(DataTypes.DoubleType)) {
      Column bothNull = a.isNull().and(b.isNull());
      Column bothNaN = isnan(a).and(isnan(b));
      Column close = abs(a.minus(b)).leq(greatest(abs(a), abs(b)).multiply(RELATIVE_TOLERANCE));
      return not(bothNull.or(bothNaN).or(a.isNotNull().and(b.isNotNull()).and(close)));
    }
    return not(a.eqNullSafe(b));
  }

  /** Registers every existing table as {@code layer.name} in the session catalog, for SQL. */
  public List<TableId> registerTables() {
    List<TableId> registered = new ArrayList<>();
    try {
      FileSystem fs = new Path(root).getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String layer : TableId.LAYERS) {
        Path dir = new Path(root + "/" + layer);
        if (!fs.exists(dir)) {
          continue;
        }
        spark.sql("CREATE DATABASE IF NOT EXISTS " + layer);
        for (FileStatus st : fs.listStatus(dir)) {
          String name = st.getPath().getName();
          if (st.isDirectory() && name.matches("[a-z0-9_]+")) {
            TableId id = new TableId(layer, name);
            if (exists(id)) {
              spark.sql("CREATE TABLE IF NOT EXISTS " + id + " USING DELTA LOCATION '" + path(id).replace("'", "\\'")
                  + "'");
              registered.add(id);
            }
          }
        }
      }
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot list lakehouse " + root + ": " + e.getMessage(), e);
    }
    return registered;
  }
}
