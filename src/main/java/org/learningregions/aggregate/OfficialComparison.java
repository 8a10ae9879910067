package org.learningregions.aggregate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.util.Seqs;

/**
 * gold.learning_rate_comparison: the survey estimate (measure any, total and by sex) beside the official published
 * rate for the same region, year and sex, with the difference in percentage points, the difference in standard
 * errors of the survey estimate, and whether the official value lies inside the survey's 95% interval. Differences
 * come from sampling error, from different survey waves or weights, and from definitions; a systematic pattern is a
 * question for the data provider, not a verdict.
 */
public final class OfficialComparison {
  public static final List<String> KEY = List.of("survey", "region_code", "year", "sex", "official_dataset");

  private OfficialComparison() {}

  public static Dataset<Row> build(Dataset<Row> rates, Dataset<Row> indicators, String officialIndicator,
      String officialAge) {
    Dataset<Row> official = indicators
        .filter(col("indicator").equalTo(officialIndicator).and(col("age").equalTo(officialAge)))
        .select(col("region_code"), col("year"), col("sex"), col("value").as("official_rate"),
            col("flag").as("official_flag"), col("source_dataset").as("official_dataset"));
    Dataset<Row> survey = rates
        .filter(col("measure").equalTo("any").and(col("breakdown").isin("total", "sex")))
        .select(col("survey"), col("region_code"), col("nuts_level"), col("year"),
            when(col("breakdown").equalTo("total"), lit("T")).otherwise(col("breakdown_value")).as("sex"),
            col("n"), col("rate").as("survey_rate"), col("se").as("survey_se"), col("ci_low").as("survey_ci_low"),
            col("ci_high").as("survey_ci_high"), col("reliability"));
    return survey.join(official, Seqs.of("region_code", "year", "sex"))
        .withColumn("difference_pp", col("survey_rate").minus(col("official_rate")))
        .withColumn("difference_in_se", when(col("survey_se").gt(0),
            col("difference_pp").divide(col("survey_se"))))
        .withColumn("official_within_ci", when(col("survey_rate").isNotNull().and(col("official_rate").isNotNull()),
            col("official_rate").geq(col("survey_ci_low")).and(col("official_rate").leq(col("survey_ci_high")))))
        .withColumn("abs_difference_pp", abs(col("difference_pp")))
        .select("survey", "region_code", "nuts_level", "year", "sex", "n", "survey_rate", "survey_se", "survey_ci_low",
            "survey_ci_high", "reliability", "official_rate", "official_flag", "official_dataset", "difference_pp",
            "abs_difference_pp", "difference_in_se", "official_within_ci");
  }
}
