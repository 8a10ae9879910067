package org.learningregions.lake;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three ways the pipeline commits to a table, each exactly one Delta commit (so a run killed midway leaves the
 * previous version readable) under the {@link CommitPolicy}, with the run id as the commit's user metadata:
 * <ul>
 *   <li>{@link #overwrite}: the table's whole content becomes the data (gold tables);</li>
 *   <li>{@link #replacePartitions}: the rows of some values of the partition column are replaced by the data, the
 *       rest untouched (bronze, silver and quarantine by source file): a metadata-only delete of those partitions'
 *       files plus the new files;</li>
 *   <li>{@link #replaceWhere}: the rows matching a predicate are replaced (small tables keyed by an id).</li>
 * </ul>
 * Rows written are counted while the data is written ({@link Observation}), never by a second job.
 */
public final class TableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TableWriter.class);

  private final Lakehouse lake;
  private final String runId;

  TableWriter(Lakehouse lake, String runId) {
    this.lake = lake;
    this.runId = runId;
  }

  /** Makes {@code data} the table's whole content (its schema too). */
  public WriteOutcome overwrite(TableId table, Dataset<Row> data) {
    return commit(table, data, null, List.of(), true);
  }

  /**
   * Replaces the rows whose {@code column} is one of {@code values} by {@code data}, which must hold only such rows.
   * A new table is created partitioned by {@code column}. Empty {@code data} deletes those rows.
   */
  public WriteOutcome replacePartitions(TableId table, Dataset<Row> data, String column, Collection<String> values) {
    if (values.isEmpty()) {
      return WriteOutcome.unchanged(table, lake.version(table));
    }
    return commit(table, data, column + " IN (" + values.stream().sorted().map(TableWriter::sqlString)
        .collect(Collectors.joining(", ")) + ")", List.of(column), false);
  }

  /** Replaces the rows matching {@code predicate} (Spark SQL) by {@code data}, which must all match it. */
  public WriteOutcome replaceWhere(TableId table, Dataset<Row> data, String predicate) {
    return commit(table, data, predicate, List.of(), false);
  }

  private WriteOutcome commit(TableId table, Dataset<Row> data, String predicate, List<String> partitionBy,
      boolean overwriteAll) {
    return CommitPolicy.commit(table, () -> {
      long started = System.nanoTime();
      long before = lake.version(table);
      Observation written = new Observation("rows_written");
      Dataset<Row> observed = data.observe(written, count(lit(1)).as("rows"));
      DataFrameWriter<Row> w = observed.write().format("delta").mode("overwrite").option("userMetadata", runId);
      if (before < 0 && !partitionBy.isEmpty()) {
        w = w.partitionBy(partitionBy.toArray(new String[0]));
      }
      String statsColumns = Tables.statsColumns(table);
      if (before < 0 && statsColumns != null) {
        // A writer option named delta.* becomes a property of the table it creates.
        w = w.option("delta.dataSkippingStatsColumns", statsColumns);
      }
      if (overwriteAll) {
        w = w.option("overwriteSchema", "true");
      } else {
        // A table written by an older version gains the columns a newer one adds (e.g. gold.model_runs).
        w = w.option("mergeSchema", "true");
        if (before >= 0) {
          w = w.option("replaceWhere", predicate);
        }
      }
      w.save(lake.path(table));
      long rows = ObservedMetrics.count(ObservedMetrics.of(written), "rows");
      long after = lake.version(table);
      LOG.info("{}: wrote {} rows{} (version {}, {} ms)", table, rows, predicate == null || before < 0 ? ""
          : " where " + abbreviate(predicate), after, (System.nanoTime() - started) / 1_000_000);
      return new WriteOutcome(table, before, after, rows, overwriteAll || before < 0 ? rows : -1, true);
    });
  }

  /** A Spark SQL string literal. */
  public static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
