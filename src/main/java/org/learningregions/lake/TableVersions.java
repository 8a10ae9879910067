package org.learningregions.lake;

import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest Delta version of a table, through Delta Kernel's public snapshot API: it lists the table's log and
 * reads the few commit files since the last checkpoint in this process, with no Spark job, so the skip checks of a
 * run that changes nothing cost milliseconds per table. Should Kernel refuse a table (a table feature it does not
 * support yet), the version comes from Delta's history instead (public too, one Spark job).
 */
final class TableVersions {
  private static final Logger LOG = LoggerFactory.getLogger(TableVersions.class);

  private final Supplier<SparkSession> spark;
  private final Engine engine;

  TableVersions(Supplier<SparkSession> spark, Engine engine) {
    this.spark = spark;
    this.engine = engine;
  }

  /** Latest version at {@code path}, -1 when there is no Delta table there. */
  long latest(String path) {
    try {
      return TableManager.loadSnapshot(path).build(engine).getVersion();
    } catch (TableNotFoundException e) {
      return -1;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof TableNotFoundException) {
        return -1;
      }
      LOG.debug("Delta Kernel could not read {} ({}); using Delta history", path, e.getMessage());
      return fromHistory(path);
    }
  }

  private long fromHistory(String path) {
    if (!DeltaTable.isDeltaTable(spark.get(), path)) {
      return -1;
    }
    List<Row> last = DeltaTable.forPath(spark.get(), path).history(1).select("version").collectAsList();
    return last.isEmpty() ? -1 : last.get(0).getLong(0);
  }
}
