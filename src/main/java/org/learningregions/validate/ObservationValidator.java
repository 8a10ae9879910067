package org.learningregions.validate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.learningregions.ingest.Observations;

/**
 * Types and checks statistical observations (from Eurostat TSV or SDMX-CSV) and splits them into silver
 * regional_indicator rows and quarantined rows. The first failing rule names the reason; duplicates of the table key
 * are checked last, over the accepted rows only.
 */
public final class ObservationValidator {
  /** Key of silver.regional_indicator. */
  public static final List<String> KEY = List.of("indicator", "unit", "sex", "age", "other_dims", "region_code",
      "year", "source_dataset");
  /** Columns whose change makes a re-ingested row an update. */
  public static final List<String> COMPARED = List.of("value", "flag", "nuts_level", "country", "source_region_code",
      "source_nuts_version");

  /** Eurostat and OECD aggregates kept with no NUTS level (EU27_2020, EA19, EU28, EFTA, OECD totals). */
  static final String AGGREGATE_PATTERN = "^(EU|EA|EEA|EFTA|OECD)[0-9A-Z_]*$";

  private final IndicatorMapping mapping;
  private final int minYear;
  private final int maxYear;

  public ObservationValidator(IndicatorMapping mapping, int minYear, int maxYear) {
    this.mapping = mapping;
    this.minYear = minYear;
    this.maxYear = maxYear;
  }

  public Validated validate(SparkSession spark, Dataset<Row> observations, String runId) {
    Dataset<Row> nuts = broadcast(NutsCatalog.nuts2021().toDataFrame(spark));
    Dataset<Row> typed = observations
        .withColumn("indicator", mapping.indicatorColumn())
        .withColumn("kind", mapping.kindColumn(col("indicator")))
        .withColumn("year", expr("try_cast(year_raw AS INT)"))
        .withColumn("value", when(col("value_raw").equalTo(":"), lit(null).cast("double"))
            .otherwise(expr("try_cast(value_raw AS DOUBLE)")))
        .join(nuts, col("geo").equalTo(nuts.col("nuts_code")), "left");
    Column isAggregate = col("geo").rlike(AGGREGATE_PATTERN);
    Column fromOecd = col("source_format").equalTo("SDMX_CSV").and(col("source_dataset").startsWith("DF_"));
    Column reason = when(col("structural_error").isNotNull(), lit(ReasonCode.WRONG_FIELD_COUNT.code()))
        .when(col("year").isNull(), lit(ReasonCode.UNPARSEABLE_YEAR.code()))
        .when(col("year").lt(minYear).or(col("year").gt(maxYear)), lit(ReasonCode.YEAR_OUT_OF_RANGE.code()))
        .when(col("value").isNull().and(col("value_raw").notEqual(":")), lit(ReasonCode.UNPARSEABLE_NUMBER.code()))
        .when(col("nuts_code").isNull().and(not(isAggregate)).and(not(fromOecd)).and(col("geo").isNotNull()),
            lit(ReasonCode.UNKNOWN_REGION.code()))
        .when(col("geo").isNull().or(col("geo").equalTo("")), lit(ReasonCode.MISSING_REQUIRED_VALUE.code()))
        .when(col("kind").equalTo("rate").and(col("value").lt(0).or(col("value").gt(100))),
            lit(ReasonCode.RATE_OUT_OF_RANGE.code()))
        .when(col("kind").equalTo("additive").and(col("value").lt(0)), lit(ReasonCode.NEGATIVE_COUNT.code()));
    Column detail = when(col("structural_error").isNotNull(), col("structural_error"))
        .otherwise(concat_ws(" ", lit("geo=" ), coalesce(col("geo"), lit("")), lit("value="), coalesce(col("value_raw"), lit(""))));
    Dataset<Row> checked = typed.withColumn("reason", reason).withColumn("detail", detail)
        .withColumn("unit", coalesce(expr("dims['unit']"), lit("")))
        .withColumn("sex", coalesce(expr("dims['sex']"), lit("")))
        .withColumn("age", coalesce(expr("dims['age']"), lit("")))
        .withColumn("other_dims", Observations.otherDims("dims"))
        .persist();

    // Duplicates are judged among otherwise valid rows: the same key with different values or flags conflicts
    // (all copies quarantined); an exact repeat keeps its first occurrence.
    Column[] key = KEY.stream().map(k -> col(k.equals("region_code") ? "geo" : k)).toArray(Column[]::new);
    Dataset<Row> valid = DuplicateKeys.mark(checked.filter(col("reason").isNull()), key,
            concat_ws("|", coalesce(col("value").cast("string"), lit(":")), col("flag")))
        .withColumn("detail", when(col("reason").isNotNull(), concat_ws(" ", lit("key repeated:"), col("indicator"),
            col("geo"), col("year_raw"))).otherwise(col("detail")));

    Dataset<Row> accepted = valid.filter(col("reason").isNull()).select(
        col("indicator"), col("unit"), col("sex"), col("age"), col("other_dims"),
        col("geo").as("region_code"), col("nuts_level"),
        when(col("nuts_country").isNotNull(), col("nuts_country")).as("country"),
        col("year"), col("value"), col("flag"), col("source_dataset"), col("geo").as("source_region_code"),
        when(col("nuts_code").isNotNull(), lit("2021")).when(fromOecd, lit("OECD-TL")).as("source_nuts_version"),
        col("source_file"), col("line_no").as("source_line"), lit(runId).as("ingest_run_id"));
    Dataset<Row> rejected = checked.filter(col("reason").isNotNull()).unionByName(valid.filter(col("reason").isNotNull()));
    Dataset<Row> quarantined = Quarantine.rows(rejected, col("column_ref"), col("detail"), runId);
    return new Validated(accepted, quarantined);
  }

  /** Rows per file, for reconciliation: read = accepted + quarantined. */
  public static Dataset<Row> countsByFile(Dataset<Row> accepted, Dataset<Row> quarantined) {
    // Distinct column names on both sides: the two halves share lineage, so plain column references are ambiguous.
    Dataset<Row> a = accepted.groupBy(col("source_file").as("file_a")).agg(count(lit(1)).as("accepted"));
    Dataset<Row> q = quarantined.groupBy(col("source_file").as("file_q")).agg(count(lit(1)).as("quarantined"));
    return a.join(q, col("file_a").equalTo(col("file_q")), "full_outer")
        .select(coalesce(col("file_a"), col("file_q")).as("source_file"),
            coalesce(col("accepted"), lit(0L)).as("accepted"), coalesce(col("quarantined"), lit(0L)).as("quarantined"));
  }
}
