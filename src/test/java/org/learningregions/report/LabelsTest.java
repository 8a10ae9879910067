package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Stored SE types and bootstrap descriptions in plain words; codes without a label stay as they are. */
@Tag("fast")
class LabelsTest {
  private static final Labels LABELS = new Labels(Map.of("learning_rate_lag1", "Adults in learning a year earlier"),
      Map.of("region_code", "region", "year", "year"), Map.of("twoway_fe_lag1", "Two-way fixed effects"));

  @Test
  void standardErrorsInWords() {
    assertEquals("clustered by region (264 clusters)", LABELS.se("cluster:region_code", 264L));
    assertEquals("clustered by country", LABELS.se("cluster:country", null));
    assertEquals("clustered two ways, by region and by year", LABELS.se("cluster:region_code+year", 20L));
    assertEquals("Driscoll-Kraay (regions correlated within each year, and over 2 years)",
        LABELS.se("driscoll-kraay:year:L=2", null));
    assertEquals("robust to unequal error variance (HC1)", LABELS.se("HC1", null));
    assertEquals("classical (constant error variance)", LABELS.se("classical", null));
    assertEquals("wild cluster bootstrap by region (7 clusters), all 128 Rademacher sign patterns",
        LABELS.bootstrap("cluster:region_code", 7L, "wcr:rademacher:enumerated:128"));
    assertEquals("wild cluster bootstrap by country, 9999 Webb draws",
        LABELS.bootstrap("cluster:country", null, "wcr:webb:sampled:9999:seed=1"));
  }

  @Test
  void codesWithoutLabelsStayAsTheyAre() {
    assertEquals("Adults in learning a year earlier", LABELS.term("learning_rate_lag1"));
    assertEquals("log_population", LABELS.term("log_population"));
    assertEquals("Two-way fixed effects", LABELS.model("twoway_fe_lag1"));
    assertEquals("pooled_ols_lag1", LABELS.model("pooled_ols_lag1"));
    assertEquals("clustered by nuts1", LABELS.se("cluster:nuts1", null));
  }
}
