package org.learningregions.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

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
 */
final class DuplicateKeys {
  private DuplicateKeys() {}

  /** Sets {@code reason} on duplicate rows of {@code valid}; {@code content} is what must agree between copies. */
  static Dataset<Row> mark(Dataset<Row> valid, Column[] key, Column content) {
    WindowSpec byKey = Window.partitionBy(key);
    return valid
        .withColumn("__versions", size(collect_set(content).over(byKey)))
        .withColumn("__n", row_number().over(byKey.orderBy(col("source_sha256"), col("line_no"))))
        .withColumn("reason", when(col("__versions").gt(1), lit(ReasonCode.DUPLICATE_CONFLICT.code()))
            .when(col("__n").gt(1), lit(ReasonCode.DUPLICATE_IDENTICAL.code())))
        .drop("__versions", "__n");
  }
}
