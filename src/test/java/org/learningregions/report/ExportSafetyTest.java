package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** Hostile text from inputs is escaped in HTML and neutralised in CSV; numbers stay numbers. */
class ExportSafetyTest {
  @Test
  void htmlEscapesMarkup() {
    assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;",
        Html.escape("<script>alert(\"x\")</script> & '"));
  }

  @Test
  void csvNeutralisesFormulasButNotNumbers() {
    assertEquals("'=HYPERLINK(\"\"http://x\"\")", CsvExport.safeText("=HYPERLINK(\"\"http://x\"\")"));
    assertEquals("'+1", CsvExport.safeText("+1"));
    assertEquals("'-cmd", CsvExport.safeText("-cmd"));
    assertEquals("'@SUM(A1)", CsvExport.safeText("@SUM(A1)"));
    assertEquals("\"'=1,2\"", CsvExport.cell("=1,2", DataTypes.StringType));
    assertEquals("-1.5", CsvExport.cell(-1.5, DataTypes.DoubleType));
    assertEquals("Helsinki-Uusimaa", CsvExport.safeText("Helsinki-Uusimaa"));
  }

  @Test
  void tinyPValuesAreShownAsABound() {
    assertEquals("&lt; 0.001", SummaryHtml.pValue(2.2e-16));
    assertEquals("0.042", SummaryHtml.pValue(0.0421));
  }
}
