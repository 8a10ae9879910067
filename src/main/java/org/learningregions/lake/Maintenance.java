package org.learningregions.lake;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;

/**
 * Delta housekeeping for a lakehouse: OPTIMIZE (bin-packing of small files, content unchanged) and VACUUM (removal
 * of data files no longer referenced by versions younger than the retention). Neither changes what any version
 * returns; VACUUM limits time travel to the retention window.
 */
public final class Maintenance {
  /** Outcome for one table. */
  public record Result(TableId table, long filesAdded, long filesRemoved, long vacuumedFiles, long versionAfter) {}

  private Maintenance() {}

  public static Result run(Lakehouse lake, TableId table, boolean vacuum, double retentionHours) {
    if (retentionHours < 168 && vacuum) {
      throw LearningRegionsException.usage("maintain: a vacuum retention below 168 hours (7 days) can break readers "
          + "and time travel; got " + retentionHours);
    }
    DeltaTable delta = DeltaTable.forPath(lake.spark(), lake.path(table));
    Row metrics = delta.optimize().executeCompaction().select("metrics.numFilesAdded", "metrics.numFilesRemoved")
        .head();
    long vacuumed = 0;
    if (vacuum) {
      List<Row> removed = delta.vacuum(retentionHours).collectAsList();
      vacuumed = removed.size();
    }
    return new Result(table, metrics.getLong(0), metrics.getLong(1), vacuumed, lake.version(table));
  }
}
