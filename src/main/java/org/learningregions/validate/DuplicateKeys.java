package org.learningregions.validate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The duplicate-key rule shared by every validator, applied to rows that passed the other rules: when a key occurs
 * with different contents, every copy is quarantined ({@code duplicate_conflict}: no way to know which is right);
 * an exact repeat keeps its first occurrence (by file checksum, then line) and quarantines the others
 * ({@code duplicate_identical}).
 *
 * <p>Repeated keys are found by a hash aggregation over hashes of the key; only rows of repeated keys go through the
 * window functions that decide between copies, so a clean input of millions of rows is never sorted by its key.
 */
final class DuplicateKeys {
  /** Above this many repeated keys the flags are joined back by a shuffle instead of a broadcast. */
  private static final long BROADCAST_KEYS = 200_000;

  private DuplicateKeys() {}

  /** Sets {@code reason} on duplicate rows of {@code valid}; {@code content} is what must agree between copies. */
  static Dataset<Row> mark(Dataset<Row> valid, String[] key, Column content) {
    return mark(valid, key, content, lit(true));
  }

  /**
   * As {@link #mark(Dataset, String[], Column)}, where a copy without a value ({@code hasValue} false: Eurostat's
   * ':' cells) gives way to a copy with one ({@code duplicate_not_available}) instead of conflicting with it. Bulk
   * files that changed a region's code keep both rows, each with ':' in the other's years.
   */
  static Dataset<Row> mark(Dataset<Row> valid, String[] key, Column content, Column hasValue) {
    return mark(valid, valid, key, content, hasValue);
  }

  /**
   * As {@link #mark(Dataset, String[], Column)}, with repeated keys looked for among {@code keyRows}: the key columns
   * of any superset of {@code valid}'s rows, typed alike. Rows of a key that repeats there but not among the valid
   * rows are decided by the rule itself (one copy: accepted), so the outcome is the same; what a superset saves is
   * the work that decides which rows are valid, in a pass that needs only the key (a large file's first pass).
   */
  static Dataset<Row> mark(Dataset<Row> valid, Dataset<Row> keyRows, String[] key, Column content) {
    return mark(valid, keyRows, key, content, lit(true));
  }

  private static Dataset<Row> mark(Dataset<Row> valid, Dataset<Row> keyRows, String[] key, Column content,
      Column hasValue) {
    Column[] keyCols = Arrays.stream(key).map(k -> col(k)).toArray(Column[]::new);
    // Two independent hashes of the key (96 bits) stand for it in the aggregation: shuffling two numbers per row
    // instead of eight strings is what makes this rule cheap on millions of rows. A collision only sends a few more
    // rows to decide(), which partitions by the key itself, so the outcome is exact whatever the hashes do.
    Dataset<Row> hashed = valid.withColumn("__h1", xxhash64(keyCols)).withColumn("__h2", hash(keyCols));
    Dataset<Row> repeated = keyRows.select(xxhash64(keyCols).as("__r1"), hash(keyCols).as("__r2"))
        .groupBy(col("__r1"), col("__r2"))
        .agg(count(lit(1)).as("__copies"))
        .filter(col("__copies").gt(1)).drop("__copies")
        .localCheckpoint();
    long n = repeated.count();
    if (n == 0) {
      return valid.withColumn("reason", lit(null).cast("string"));
    }
    Column match = col("__h1").equalTo(col("__r1")).and(col("__h2").equalTo(col("__r2")));
    Dataset<Row> flagged = hashed.join(n <= BROADCAST_KEYS ? broadcast(repeated) : repeated, match, "left")
        .withColumn("__repeated", col("__r1").isNotNull())
        .drop("__h1", "__h2", "__r1", "__r2");
    Dataset<Row> single = flagged.filter(not(col("__repeated"))).withColumn("reason", lit(null).cast("string"));
    Dataset<Row> copies = decide(flagged.filter(col("__repeated")), keyCols, content, hasValue);
    return single.drop("__repeated").unionByName(copies.drop("__repeated"));
  }

  private static Dataset<Row> decide(Dataset<Row> copies, Column[] key, Column content, Column hasValue) {
    WindowSpec byKey = Window.partitionBy(key);
    return copies
        .withColumn("__has_value", hasValue)
        .withColumn("__superseded", not(col("__has_value")).and(max(col("__has_value").cast("int")).over(byKey)
            .equalTo(1)))
        // Copies that are all not available agree whatever their flags (": u" and ": " say the same thing).
        .withColumn("__versions", size(collect_set(when(col("__has_value"), content)
            .when(not(col("__superseded")), lit(":"))).over(byKey)))
        .withColumn("__n", row_number().over(byKey.orderBy(col("__superseded"), col("source_sha256"),
            col("line_no"))))
        .withColumn("reason", when(col("__superseded"), lit(ReasonCode.DUPLICATE_NOT_AVAILABLE.code()))
            .when(col("__versions").gt(1), lit(ReasonCode.DUPLICATE_CONFLICT.code()))
            .when(col("__n").gt(1).and(not(col("__has_value"))), lit(ReasonCode.DUPLICATE_NOT_AVAILABLE.code()))
            .when(col("__n").gt(1), lit(ReasonCode.DUPLICATE_IDENTICAL.code())))
        .drop("__has_value", "__superseded", "__versions", "__n");
  }
}
