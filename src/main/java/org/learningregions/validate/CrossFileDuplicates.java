package org.learningregions.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The duplicate rule across files: a row whose silver key another source file already holds (rows of files ingested
 * in earlier runs and not replaced now) is not accepted a second time. It is quarantined as
 * {@code duplicate_identical} when its compared values equal the held row's, else as {@code duplicate_conflict}, with
 * the file that holds the key in the detail. The held row stays: the first file ingested keeps a key until it is
 * revised or removed. Within one run, {@link DuplicateKeys} decides between the files of the run.
 */
public final class CrossFileDuplicates {
  private CrossFileDuplicates() {}

  /**
   * @param batch the run's validated rows
   * @param held silver rows of other files (key and compared columns, source_file)
   * @param key silver key columns
   * @param compared the columns that must agree for a repeat to be identical
   * @param lines the run's numbered lines (source_file, source_sha256, line_no, raw), for the quarantined rows' raw
   * @param runId this run
   */
  public static Validated apply(Validated batch, Dataset<Row> held, List<String> key, List<String> compared,
      Dataset<Row> lines, String runId) {
    List<Column> keyCols = new ArrayList<>();
    for (String k : key) {
      keyCols.add(col(k));
    }
    Column content = xxhash64(compared.stream().map(c -> coalesce(col(c).cast("string"), lit("\u0000")))
        .toArray(Column[]::new));
    List<Column> heldCols = new ArrayList<>();
    for (String k : key) {
      heldCols.add(col(k).as("__h_" + k));
    }
    heldCols.add(content.as("__h_content"));
    heldCols.add(col("source_file").as("__h_file"));
    Dataset<Row> heldKeys = held.select(heldCols.toArray(new Column[0]));
    Column on = lit(true);
    for (String k : key) {
      on = on.and(col(k).eqNullSafe(col("__h_" + k)));
    }
    Dataset<Row> accepted = batch.accepted().join(heldKeys, on, "left_anti");
    Dataset<Row> repeated = batch.accepted().join(heldKeys, on, "inner")
        .withColumn("reason", when(content.equalTo(col("__h_content")), lit(ReasonCode.DUPLICATE_IDENTICAL.code()))
            .otherwise(lit(ReasonCode.DUPLICATE_CONFLICT.code())))
        .withColumn("detail", concat_ws(" ", lit("key already ingested from"), col("__h_file")));
    Dataset<Row> raw = lines.select(col("source_file").as("__l_file"), col("source_sha256"),
        col("line_no").as("__l_line"), col("raw"));
    Dataset<Row> withRaw = repeated.join(raw,
        col("source_file").equalTo(col("__l_file")).and(col("source_line").equalTo(col("__l_line"))), "left");
    Dataset<Row> quarantined = withRaw.select(col("source_file"), col("source_sha256"),
        col("source_line").as("line_no"), (java.util.Arrays.asList(batch.accepted().columns()).contains("year")
            ? col("year").cast("string") : lit(null).cast("string")).as("column_ref"),
        col("raw"), col("reason"), col("detail"), lit(runId).as("ingest_run_id"));
    return new Validated(accepted, batch.quarantined().unionByName(quarantined), batch.release());
  }
}
