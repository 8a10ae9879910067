package org.learningregions.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The common shape of quarantine tables: the raw line, where it came from (file, checksum, line, column), the stable
 * reason code, a detail and the run id.
 */
public final class Quarantine {
  private Quarantine() {}

  public static final List<String> KEY = List.of("source_sha256", "line_no", "column_ref", "reason");

  /** Projects rows carrying a non-null {@code reason} column to the quarantine schema. */
  public static Dataset<Row> rows(Dataset<Row> withReason, Column columnRef, Column detail, String runId) {
    return withReason.select(
        col("source_file"), col("source_sha256"), col("line_no"), columnRef.cast("string").as("column_ref"),
        col("raw"), col("reason"), detail.cast("string").as("detail"), lit(runId).as("ingest_run_id"));
  }
}
