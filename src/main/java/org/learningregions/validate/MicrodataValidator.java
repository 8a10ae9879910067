package org.learningregions.validate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Types and checks person-level survey rows (already split into silver-named string columns) into
 * silver.learning_participation and quarantine. Person-level rows never leave silver.
 */
public final class MicrodataValidator {
  public static final List<String> KEY = List.of("survey", "year", "respondent_id");
  public static final List<String> COMPARED = List.of("region_code", "age", "sex", "education_level", "labour_status",
      "formal", "non_formal", "informal", "hours", "weight", "stratum", "psu");
  public static final List<String> SEX = List.of("F", "M");
  public static final List<String> EDUCATION = List.of("ISCED0-2", "ISCED3-4", "ISCED5-8");
  public static final List<String> LABOUR = List.of("employed", "unemployed", "inactive");

  private final int minYear;
  private final int maxYear;

  public MicrodataValidator(int minYear, int maxYear) {
    this.minYear = minYear;
    this.maxYear = maxYear;
  }

  static Column bool(Column raw) {
    Column v = lower(trim(raw));
    return when(v.isin("true", "1", "yes", "y", "t"), lit(true)).when(v.isin("false", "0", "no", "n", "f"), lit(false));
  }

  /*
   * The key's columns as the rule types them, written once: the pass over all rows' keys and the checked rows must
   * hash a key alike, or a repeat would go unseen.
   */
  private static Column typedSurvey() {
    return trim(col("survey"));
  }

  private static Column typedYear() {
    return expr("try_cast(trim(year) AS INT)");
  }

  private static Column typedRespondent() {
    return trim(col("respondent_id"));
  }

  static Column blankToNull(Column c) {
    return when(trim(c).equalTo(""), lit(null).cast("string")).otherwise(trim(c));
  }

  /**
   * Input: source_file, source_sha256, line_no, raw, structural_error and the silver columns as strings;
   * {@code keyRows}: the same rows (or a superset), read without anything that needs all their columns, for the
   * pass that finds repeated keys.
   */
  public Validated validate(SparkSession spark, Dataset<Row> rows, Dataset<Row> keyRows, String runId) {
    Dataset<Row> nuts = broadcast(NutsCatalog.nuts2021().toDataFrame(spark));
    Dataset<Row> typed = rows
        .withColumn("t_year", typedYear())
        .withColumn("t_age", expr("try_cast(trim(age) AS INT)"))
        .withColumn("t_weight", expr("try_cast(trim(weight) AS DOUBLE)"))
        .withColumn("t_hours", expr("try_cast(nullif(trim(hours), '') AS DOUBLE)"))
        .withColumn("t_formal", bool(col("formal")))
        .withColumn("t_non_formal", bool(col("non_formal")))
        .withColumn("t_informal", bool(col("informal")))
        .withColumn("t_sex", upper(trim(col("sex"))))
        .withColumn("t_region", trim(col("region_code")))
        .join(nuts, col("t_region").equalTo(nuts.col("nuts_code")), "left");
    Column missing = col("respondent_id").isNull().or(trim(col("respondent_id")).equalTo(""))
        .or(col("t_region").isNull()).or(col("t_region").equalTo(""))
        .or(col("year").isNull()).or(col("sex").isNull()).or(col("age").isNull())
        .or(col("formal").isNull()).or(col("non_formal").isNull()).or(col("weight").isNull());
    Column reason = when(col("structural_error").isNotNull(), lit(ReasonCode.WRONG_FIELD_COUNT.code()))
        .when(missing, lit(ReasonCode.MISSING_REQUIRED_VALUE.code()))
        .when(col("t_year").isNull(), lit(ReasonCode.UNPARSEABLE_YEAR.code()))
        .when(col("t_year").lt(minYear).or(col("t_year").gt(maxYear)), lit(ReasonCode.YEAR_OUT_OF_RANGE.code()))
        .when(col("t_weight").isNull().or(col("t_age").isNull())
            .or(col("t_hours").isNull().and(blankToNull(col("hours")).isNotNull())),
            lit(ReasonCode.UNPARSEABLE_NUMBER.code()))
        .when(ObservationValidator.nonFinite(col("t_weight")).or(ObservationValidator.nonFinite(col("t_hours"))),
            lit(ReasonCode.NON_FINITE_NUMBER.code()))
        .when(col("t_weight").leq(0), lit(ReasonCode.NON_POSITIVE_WEIGHT.code()))
        .when(col("nuts_code").isNull(), lit(ReasonCode.UNKNOWN_REGION.code()))
        .when(col("nuts_level").notEqual(2), lit(ReasonCode.UNEXPECTED_NUTS_LEVEL.code()))
        .when(not(col("t_sex").isin(SEX.toArray()))
            .or(col("t_formal").isNull()).or(col("t_non_formal").isNull())
            .or(col("t_informal").isNull().and(blankToNull(col("informal")).isNotNull()))
            .or(col("t_age").lt(15)).or(col("t_age").gt(120)).or(col("t_hours").lt(0))
            .or(blankToNull(col("education_level")).isNotNull().and(not(trim(col("education_level"))
                .isin(EDUCATION.toArray()))))
            .or(blankToNull(col("labour_status")).isNotNull().and(not(trim(col("labour_status"))
                .isin(LABOUR.toArray())))),
            lit(ReasonCode.INVALID_CODE.code()));
    Dataset<Row> checked = typed.withColumn("reason", reason)
        .withColumn("survey", typedSurvey()).withColumn("respondent_id", typedRespondent());
    // Repeated keys are looked for among all rows, typed as the rule types them but not checked: in a pass that
    // needs three fields of each line, not the rules, the region join and the typing of every column.
    Dataset<Row> keys = keyRows.select(typedSurvey().as("survey"), typedYear().as("t_year"),
        typedRespondent().as("respondent_id"));
    Dataset<Row> valid = DuplicateKeys.mark(checked.filter(col("reason").isNull()), keys,
        new String[] {"survey", "t_year", "respondent_id"}, col("raw"));
    Dataset<Row> accepted = valid.filter(col("reason").isNull()).select(
        col("survey"), col("t_year").as("year"), col("respondent_id"), col("t_region").as("region_code"),
        col("t_age").as("age"), col("t_sex").as("sex"), blankToNull(col("education_level")).as("education_level"),
        blankToNull(col("labour_status")).as("labour_status"), col("t_formal").as("formal"),
        col("t_non_formal").as("non_formal"), col("t_informal").as("informal"), col("t_hours").as("hours"),
        col("t_weight").as("weight"), blankToNull(col("stratum")).as("stratum"), blankToNull(col("psu")).as("psu"),
        col("source_file"), col("line_no").as("source_line"), lit(runId).as("ingest_run_id"));
    Dataset<Row> rejected = checked.filter(col("reason").isNotNull()).unionByName(valid.filter(col("reason")
        .isNotNull()));
    Column detail = when(col("structural_error").isNotNull(), col("structural_error"))
        .otherwise(concat_ws(" ", lit("respondent_id="), coalesce(col("respondent_id"), lit(""))));
    return new Validated(accepted, Quarantine.rows(rejected, lit(null), detail, runId));
  }
}
