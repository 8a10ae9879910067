package org.learningregions.validate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The two halves of a validated input: rows accepted into silver and rows sent to quarantine with a reason.
 * Every input row is in exactly one of them.
 */
public record Validated(Dataset<Row> accepted, Dataset<Row> quarantined) {}
