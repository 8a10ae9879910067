package org.learningregions.validate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The two halves of a validated input: rows accepted into silver and rows sent to quarantine with a reason.
 * Every input row is in exactly one of them. {@code release} frees what the validator cached to compute them; call it
 * once both halves are materialised.
 */
public record Validated(Dataset<Row> accepted, Dataset<Row> quarantined, Runnable release) {
  public Validated(Dataset<Row> accepted, Dataset<Row> quarantined) {
    this(accepted, quarantined, () -> { });
  }
}
