package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.learningregions.util.CsvWriter;

/** Hostile text from inputs is escaped in HTML and neutralised in CSV; numbers stay numbers. */
@Tag("fast")
class ExportSafetyTest {
  @Test
  void htmlEscapesMarkup() {
    assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;",
        Html.escape("<script>alert(\"x\")</script> & '"));
  }

  @Test
  void csvNeutralisesFormulasButNotNumbers() {
    CsvWriter csv = new CsvWriter(new java.io.StringWriter(), true);
    assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\"", csv.field("=HYPERLINK(\"http://x\")"));
    assertEquals("'+1", csv.field("+1"));
    assertEquals("'-cmd", csv.field("-cmd"));
    assertEquals("'@SUM(A1)", csv.field("@SUM(A1)"));
    assertEquals("\"'=1,2\"", csv.field("=1,2"));
    assertEquals("-1.5", csv.field(-1.5));
    assertEquals("Helsinki-Uusimaa", csv.field("Helsinki-Uusimaa"));
    assertEquals("=1", new CsvWriter(new java.io.StringWriter(), false).field("=1"), "sql output is verbatim");
  }

  @Test
  void tinyPValuesAreShownAsABound() {
    assertEquals("< 0.001", SummaryDocument.pValue(2.2e-16));
    assertEquals("0.042", SummaryDocument.pValue(0.0421));
  }
}
