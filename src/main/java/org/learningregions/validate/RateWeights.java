package org.learningregions.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Finds, for each part of a merged region's rate, the value of the rate's denominator ({@link
 * IndicatorMapping.Denominator}) in the same run: same source region code, year and listed dimensions. The weight
 * must be unique and positive; otherwise {@code weight_problem} says why and {@code merge_weight} is null.
 */
final class RateWeights {
  private RateWeights() {}

  /**
   * @param rateParts valid rate rows of merged regions (columns indicator, geo, year, dims)
   * @param valid every valid row of the run, where the denominators are looked up
   * @return {@code rateParts} with {@code merge_weight} (double) and {@code weight_problem} (string)
   */
  static Dataset<Row> attach(Dataset<Row> rateParts, Dataset<Row> valid,
      Map<String, IndicatorMapping.Denominator> denominators) {
    if (denominators.isEmpty()) {
      return rateParts.withColumn("merge_weight", lit(null).cast("double"))
          .withColumn("weight_problem", lit("no denominator configured"));
    }
    Dataset<Row> weights = null;
    Column rateKey = null;
    Column denominatorName = null;
    for (IndicatorMapping.Denominator d : denominators.values()) {
      Dataset<Row> w = valid.filter(col("indicator").equalTo(d.indicator()).and(col("value").isNotNull()))
          .select(key(d).as("__wk"), col("value").as("__w"));
      weights = weights == null ? w : weights.unionByName(w);
      Column isRate = col("indicator").equalTo(d.rate());
      rateKey = rateKey == null ? when(isRate, key(d)) : rateKey.when(isRate, key(d));
      denominatorName = denominatorName == null ? when(isRate, lit(d.indicator()))
          : denominatorName.when(isRate, lit(d.indicator()));
    }
    Dataset<Row> unique = weights.groupBy("__wk").agg(count(lit(1)).as("__wn"), first(col("__w")).as("__wv"));
    return rateParts.withColumn("__wk", rateKey).withColumn("__den", denominatorName)
        .join(unique, "__wk", "left")
        .withColumn("merge_weight", when(col("__wn").equalTo(1).and(col("__wv").gt(0)), col("__wv")))
        .withColumn("weight_problem", when(col("__den").isNull(), lit("no denominator configured"))
            .when(col("__wn").isNull(), concat_ws(" ", lit("no"), col("__den"), lit("for"), col("geo"),
                col("year").cast("string")))
            .when(col("__wn").gt(1), concat_ws(" ", col("__den"), lit("ambiguous for"), col("geo"),
                col("year").cast("string"), lit("(" ), col("__wn").cast("string"), lit("rows)")))
            .when(col("__wv").leq(0), concat_ws(" ", col("__den"), lit("not positive for"), col("geo"),
                col("year").cast("string"))))
        .drop("__wk", "__wn", "__wv", "__den");
  }

  /** Denominator, source region code, year and the listed dimensions: the same expression on both sides. */
  private static Column key(IndicatorMapping.Denominator d) {
    List<Column> parts = new ArrayList<>();
    parts.add(lit(d.rate()));
    parts.add(col("geo"));
    parts.add(col("year").cast("string"));
    for (String dim : d.same()) {
      parts.add(coalesce(element_at(col("dims"), dim), lit("")));
    }
    return concat_ws("\u0001", parts.toArray(new Column[0]));
  }
}
