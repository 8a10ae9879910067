package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The first page's words: the sign of the headline in words ("0.07% lower", never "-0.07% higher"), an interval that
 * includes zero said in the headline itself, and the inference and robustness comparisons as lists a reader can scan.
 */
@Tag("fast")
class ReportTextTest {
  private static final StructType COEF = new StructType().add("model_name", DataTypes.StringType)
      .add("term", DataTypes.StringType).add("estimate", DataTypes.DoubleType).add("ci_low", DataTypes.DoubleType)
      .add("ci_high", DataTypes.DoubleType).add("p_value", DataTypes.DoubleType).add("se_type", DataTypes.StringType)
      .add("n_obs", DataTypes.LongType).add("n_clusters", DataTypes.LongType);
  private static final StructType FACTS = new StructType().add("rows", DataTypes.LongType)
      .add("regions", DataTypes.LongType).add("countries", DataTypes.LongType).add("first_year", DataTypes.IntegerType)
      .add("last_year", DataTypes.IntegerType);

  private static Row coef(String model, double b, double lo, double hi, String se) {
    return new GenericRowWithSchema(new Object[] {model, "learning_rate_lag1", b, lo, hi, 0.5, se, 5340L, 323L}, COEF);
  }

  private static List<ReportText.Paragraph> page(List<Row> coefficients) {
    ReportData d = new ReportData(List.of(), coefficients, new GenericRowWithSchema(new Object[] {5663L, 323L, 33L,
        2000, 2022}, FACTS), 0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(), null, List.of(), List.of(), List.of(), null, List.of(), List.of(), List.of(), List.of());
    return ReportText.firstPage(d, ReportText.headline(d, "fe", "learning_rate_lag1"), "fe", "learning_rate_lag1",
        new ReportText.HeadlineInference(List.of("fe", "fe_country"), "fe_country"), Labels.NONE);
  }

  @Test
  void aNegativeEstimateReadsLowerAndAnIntervalAcrossZeroIsSaidInTheHeadline() {
    List<ReportText.Paragraph> page = page(List.of(coef("fe", -0.5, -0.9, 0.1, "cluster:region_code"),
        coef("fe_country", -0.5, -1.2, 0.4, "cluster:country"), coef("pooled", 0.02, 0.01, 0.03, "HC1")));
    String headline = page.get(0).text();
    assertTrue(page.get(0).emphasis());
    // exp(-0.5) - 1 = -39.35%: the magnitude of the percentage difference, not exp(0.5) - 1 = 64.87%.
    assertTrue(headline.contains("has on average 39.35% lower output per person employed, 95% interval -59.34% to "
        + "10.52%, which includes no difference at all."), headline);

    ReportText.Paragraph inference = page.get(2);
    assertTrue(inference.text().startsWith("How sure are we?"), inference.text());
    assertTrue(inference.text().contains("The conclusion rests on the"), inference.text());
    assertEquals(2, inference.items().size(), inference.items().toString());
    assertTrue(inference.items().get(1).contains("-69.88% to 49.18%"), inference.items().toString());

    ReportText.Paragraph robustness = page.get(3);
    assertEquals(List.of("pooled: 2.02% (95% interval 1.01% to 3.05%, N = 5340)"), robustness.items());
    assertTrue(robustness.text().endsWith("over the period):"), robustness.text());
  }

  @Test
  void percentagesOfLogPointsRoundToAnUnsignedZero() {
    assertEquals("0.00%", ReportText.percent(-0.00001));
    assertEquals("-0.01%", ReportText.percent(-0.0001));
    assertEquals("1.04%", ReportText.percent(0.0103));
  }

  @Test
  void aPositiveEstimateWhoseIntervalExcludesZeroReadsHigher() {
    String headline = page(List.of(coef("fe", 0.0103, 0.0098, 0.0108, "cluster:region_code"))).get(0).text();
    assertTrue(headline.contains("has on average 1.04% higher output per person employed, 95% interval 0.98% to "
        + "1.09%."), headline);
  }
}
