package org.learningregions.lake;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.learningregions.LearningRegionsException;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Delta housekeeping for a lakehouse: OPTIMIZE (bin-packing of small files, content unchanged) and VACUUM (removal
 * of data files no longer referenced by versions younger than the retention). Neither changes what any version
 * returns; VACUUM limits time travel to the retention window.
 */
public final class Maintenance {
  /** Outcome for one table. */
  public record Result(TableId table, long filesAdded, long filesRemoved, long vacuumedFiles, long versionAfter) {}

  private Maintenance() {}

  /** Delta's default VACUUM retention: 7 days. */
  public static final double DEFAULT_RETENTION_HOURS = 168;

  /**
   * @param allowShortRetention accept a retention under {@link #DEFAULT_RETENTION_HOURS} (the caller records it):
   *     a reader or writer still on an older version may fail, and time travel (report --run-id) to versions older
   *     than the retention ends
   */
  public static Result run(Lakehouse lake, TableId table, boolean vacuum, double retentionHours,
      boolean allowShortRetention) {
    if (retentionHours < DEFAULT_RETENTION_HOURS && vacuum && !allowShortRetention) {
      throw LearningRegionsException.usage("maintain: a vacuum retention below 168 hours (7 days) can break readers "
          + "and time travel; got " + retentionHours + " (--allow-short-retention overrides, and is recorded)");
    }
    DeltaTable delta = DeltaTable.forPath(lake.spark(), lake.path(table));
    Row metrics = delta.optimize().executeCompaction().select("metrics.numFilesAdded", "metrics.numFilesRemoved")
        .head();
    long vacuumed = 0;
    if (vacuum) {
      DeltaTable target = delta;
      if (retentionHours < DEFAULT_RETENTION_HOURS) {
        // Delta's own guard refuses the same; with the override given it is lifted in a session of its own, so no
        // other work on the shared session runs without it.
        // A new session starts from the Spark context's settings, not from this session's: its runtime settings
        // (the run id in the commit metadata, the file-listing parallelism of conf/local.conf, without which the
        // VACUUM of one small table took 30 s in 10,000 tasks) are copied, so the override is the only difference.
        SparkSession relaxed = lake.spark().newSession();
        CollectionConverters.asJava(lake.spark().conf().getAll()).forEach((key, value) -> {
          if (relaxed.conf().isModifiable(key)) {
            relaxed.conf().set(key, value);
          }
        });
        relaxed.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
        target = DeltaTable.forPath(relaxed, lake.path(table));
      }
      vacuumed = target.vacuum(retentionHours).collectAsList().size();
    }
    return new Result(table, metrics.getLong(0), metrics.getLong(1), vacuumed, lake.version(table));
  }
}
