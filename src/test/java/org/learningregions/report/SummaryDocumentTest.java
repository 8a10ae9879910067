package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLog;
import com.openhtmltopdf.util.XRLogger;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.LearningRegionsException;

/**
 * The template's engine and its PDF half: every printed value is HTML-escaped and cleaned of control characters
 * (which XML refuses), and a Spark row's columns are read by name; a page printed under the report's stylesheet
 * numbers every page, repeats a long table's header row on each page it spans, prints names in Latin, Greek and
 * Cyrillic as written, and refuses markup that is not well-formed with a one-line error.
 */
@Tag("fast")
class SummaryDocumentTest {
  private static final List<String> NAMES = List.of("Αττική", "Северозападен", "Łódzkie", "Östra Mellansverige");

  @TempDir
  Path dir;

  @Test
  void longTablesRepeatTheirHeaderAndEveryPageIsNumbered() throws Exception {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      rows.append("<tr><td>R").append(i).append("</td><td>").append(NAMES.get(i % NAMES.size()))
          .append("</td><td class=\"n\">").append(i).append("</td></tr>");
    }
    String html = "<html><head><style>" + css() + "</style></head><body><div class=\"running\">the running "
        + "header</div><h1>Title</h1><p>" + Html.escape("<script>alert(1)</script>") + "</p><table><thead><tr>"
        + "<th>Region code</th><th>Region name</th><th class=\"n\">Observations</th></tr></thead><tbody>" + rows
        + "</tbody></table></body></html>";
    Path pdf = dir.resolve("summary.pdf");
    SummaryDocument.pdf(html, pdf);

    List<String> pages = RenderedReport.pdfText(pdf);
    assertTrue(pages.size() >= 4, "pages: " + pages.size());
    for (int i = 0; i < pages.size(); i++) {
      String page = pages.get(i);
      assertTrue(page.contains("page " + (i + 1) + " of " + pages.size()), "footer of page " + (i + 1) + ": " + page);
      assertTrue(page.contains("the running header"), "running header on page " + (i + 1));
      assertTrue(page.contains("Region code Region name Observations"), "table header on page " + (i + 1));
    }
    String all = String.join(" ", pages);
    for (String name : NAMES) {
      assertTrue(all.contains(name), name + " not printed as written");
    }
    assertTrue(all.contains("<script>alert(1)</script>"), "escaped markup prints as text");
    assertTrue(all.contains("R299 "), "every row printed");
    assertEquals(pages.size(), RenderedReport.pdfPages(pdf, dir.resolve("png"), 20, 1, pages.size()).size(),
        "pdftoppm renders every page");
  }

  @Test
  void everyFontIsEmbeddedAndThePdfRendererIgnoresOnlyTheBrowsersCss() throws Exception {
    String html = "<html><head><style>" + css() + "</style></head><body><div class=\"running\">header</div><h1>T</h1>"
        + "<table><thead><tr><th>Code</th><th class=\"n\">N</th></tr></thead><tbody><tr><td><code>FI1B</code> "
        + NAMES.get(0) + "</td><td class=\"n\">1</td></tr></tbody></table></body></html>";
    Path pdf = dir.resolve("fonts.pdf");
    List<String> cssWarnings = new java.util.ArrayList<>();
    SummaryDocument.fmt(1, 0); // the class's own logger is installed first, and put back below
    XRLogger before = XRLog.getLoggerImpl();
    assertEquals("Slf4jLog", before.getClass().getSimpleName(), "openhtmltopdf logs through SLF4J, not to stderr");
    XRLog.setLoggerImpl(new XRLogger() {
      @Override
      public void log(String where, Level level, String msg) {
        if (where.endsWith("css-parse")) {
          cssWarnings.add(msg);
        }
      }

      @Override
      public void log(String where, Level level, String msg, Throwable th) {
        log(where, level, msg);
      }

      @Override
      public void setLevel(String logger, Level level) {}

      @Override
      public boolean isLogLevelEnabled(Diagnostic d) {
        return true;
      }
    });
    try {
      SummaryDocument.pdf(html, pdf);
    } finally {
      XRLog.setLoggerImpl(before);
    }
    // conf/log4j2.properties silences these warnings for the properties only browsers know; any other is a mistake.
    assertFalse(cssWarnings.isEmpty(), "the renderer reports the browser-only properties");
    for (String w : cssWarnings) {
      assertTrue(w.matches(".*\\b(word-break|overflow-wrap|overflow-x|font-variant-numeric) is an unrecognized CSS "
          + "property.*"), "CSS the PDF renderer does not know: " + w);
    }
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      int fonts = 0;
      for (PDPage page : doc.getPages()) {
        for (COSName name : page.getResources().getFontNames()) {
          PDFont font = page.getResources().getFont(name);
          fonts++;
          assertTrue(font.isEmbedded(), "font " + font.getName() + " is only named, not embedded");
        }
      }
      assertTrue(fonts > 0, "the PDF's pages have fonts");
    }
  }

  @Test
  void markupThatIsNotWellFormedIsRefusedInOneLine() {
    LearningRegionsException e = assertThrows(LearningRegionsException.class,
        () -> SummaryDocument.pdf("<html><body><p>unclosed</body></html>", dir.resolve("bad.pdf")));
    assertTrue(e.getMessage().startsWith("summary.pdf could not be printed"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(dir.resolve("bad.pdf").toFile().exists(), "nothing written");
  }

  @Test
  void everyPrintedValueIsEscapedAndCleanedAndRowsAreReadByColumnName() {
    StructType schema = new StructType().add("region_name", DataTypes.StringType).add("rate", DataTypes.DoubleType)
        .add("flag", DataTypes.StringType);
    Row row = new GenericRowWithSchema(new Object[] {"Ísland\u0007<b>", 12.345, null}, schema);
    String out = SummaryDocument.render("report/escaping-test.peb", Map.of("text", "a\u0000b\tc\u009f & 'd'",
        "row", row, "svg", "<svg/>"));
    assertEquals("<p>a b c  &amp; &#39;d&#39;</p><p>Ísland &lt;b&gt; 12.3 none</p><p><svg/></p>", out.strip());
  }

  private static String css() throws Exception {
    try (InputStream in = SummaryDocumentTest.class.getClassLoader().getResourceAsStream("report/summary.css")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
