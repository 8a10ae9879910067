package org.learningregions.validate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks learning-city registry rows. Region codes outside NUTS 2021 (OECD TL2, ISO 3166-2) are accepted and marked
 * by {@code region_scheme}; only a missing code or an unusable year is quarantined.
 */
public final class RegistryValidator {
  public static final List<String> KEY = List.of("city", "country");
  public static final List<String> COMPARED = List.of("region_code", "year_joined", "source", "nuts_level");

  private final int minYear;
  private final int maxYear;

  public RegistryValidator(int minYear, int maxYear) {
    this.minYear = minYear;
    this.maxYear = maxYear;
  }

  public Validated validate(SparkSession spark, Dataset<Row> rows, String runId) {
    Dataset<Row> nuts = broadcast(NutsCatalog.nuts2021().toDataFrame(spark));
    Dataset<Row> typed = rows.withColumn("t_year", expr("try_cast(trim(year_joined) AS INT)"))
        .withColumn("t_region", trim(col("region_code")))
        .join(nuts, col("t_region").equalTo(nuts.col("nuts_code")), "left");
    Column missing = col("city").isNull().or(trim(col("city")).equalTo("")).or(col("t_region").isNull())
        .or(col("t_region").equalTo("")).or(col("country").isNull()).or(trim(col("country")).equalTo(""));
    Column reason = when(col("structural_error").isNotNull(), lit(ReasonCode.WRONG_FIELD_COUNT.code()))
        .when(missing, lit(ReasonCode.MISSING_REQUIRED_VALUE.code()))
        .when(col("t_year").isNull(), lit(ReasonCode.UNPARSEABLE_YEAR.code()))
        .when(col("t_year").lt(minYear).or(col("t_year").gt(maxYear)), lit(ReasonCode.YEAR_OUT_OF_RANGE.code()));
    Dataset<Row> checked = typed.withColumn("reason", reason).withColumn("city", trim(col("city")))
        .withColumn("country", upper(trim(col("country"))));
    Dataset<Row> valid = DuplicateKeys.mark(checked.filter(col("reason").isNull()),
        new String[] {"city", "country"}, col("raw"));
    Dataset<Row> accepted = valid.filter(col("reason").isNull()).select(
        col("city"), col("country"), col("t_region").as("region_code"),
        when(col("nuts_code").isNotNull(), lit("NUTS2021")).otherwise(lit("other")).as("region_scheme"),
        col("nuts_level"), col("t_year").as("year_joined"), trim(col("source")).as("source"),
        col("source_file"), col("line_no").as("source_line"), lit(runId).as("ingest_run_id"));
    Dataset<Row> rejected = checked.filter(col("reason").isNotNull()).unionByName(valid.filter(col("reason")
        .isNotNull()));
    return new Validated(accepted, Quarantine.rows(rejected, lit(null), col("reason"), runId));
  }
}
