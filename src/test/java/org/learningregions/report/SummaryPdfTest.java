package org.learningregions.report;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.learningregions.report.ReportColumn.decimal;
import static org.learningregions.report.ReportColumn.integer;
import static org.learningregions.report.ReportColumn.text;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.LearningRegionsException;

/**
 * summary.pdf: region names in any script print as written, tables are cut with a pointer to the full exports and
 * say which estimates are suppressed or weak, every page has its footer, and poppler renders every page.
 */
@Tag("fast")
class SummaryPdfTest {
  private static final Path PDFTOPPM = Path.of("/usr/bin/pdftoppm");
  private static final String TITLE = "Does more adult learning go with higher productivity?";
  private static final String HEADLINE = "A region with 1 percentage point more adults in education and training "
      + "(a year earlier) has on average 0.42% higher output per person employed, 95% interval 0.10% to 0.74%.";
  private static final List<String> NAMES = List.of("Αττική", "Северозападен", "Łódzkie", "İstanbul");
  private static final String HOSTILE = "<script>alert(1)</script>";

  @TempDir
  Path dir;

  @Test
  void printsTheSummaryWithEveryNameAsWritten() throws IOException {
    Path file = dir.resolve("summary.pdf");
    SummaryPdf.write(content(), file);

    try (PDDocument doc = Loader.loadPDF(file.toFile())) {
      int pages = doc.getNumberOfPages();
      assertTrue(pages > 2, "pages: " + pages);
      String first = pageText(doc, 1, 1);
      assertTrue(first.contains(TITLE), first);
      assertTrue(first.contains(HEADLINE), first);
      for (String name : NAMES) {
        assertTrue(first.contains(name), name + " not on page 1: " + first);
      }
      // 上海 is not in DejaVu Sans: it prints as one '?' per character instead of failing the report.
      assertTrue(first.contains("Shanghai ?? is not"), first);

      String all = pageText(doc, 1, pages);
      assertTrue(all.contains("suppressed"), "suppressed estimate not marked");
      assertTrue(all.contains("\u2020 low reliability"), "no note on the low-reliability mark");
      assertTrue(all.contains("20 more rows in tables.xlsx and csv/regions.csv"), "no pointer to the full table");
      assertTrue(all.contains("R99 ") && !all.contains("R100 "), "not cut at 100 rows");
      assertTrue(all.contains(HOSTILE), "hostile name not printed as plain text");
      assertTrue(all.contains("Line one line two"), "newline in a name not printed as a space");
      for (int i = 1; i <= pages; i++) {
        String page = pageText(doc, i, i);
        assertTrue(page.contains("page " + i + " of " + pages), "footer of page " + i + ": " + page);
      }
      assertEquals(2, images(doc), "figures drawn");
    }
  }

  @Test
  void everyPageRendersWithPoppler() throws Exception {
    assertTrue(Files.isExecutable(PDFTOPPM), PDFTOPPM + " is missing: install poppler-utils (the CI does) so that "
        + "this test can check that every page of summary.pdf renders");
    Path file = dir.resolve("summary.pdf");
    SummaryPdf.write(content(), file);
    int pages;
    try (PDDocument doc = Loader.loadPDF(file.toFile())) {
      pages = doc.getNumberOfPages();
    }

    Process poppler = new ProcessBuilder(PDFTOPPM.toString(), "-png", "-r", "50", file.toString(),
        dir.resolve("page").toString()).redirectErrorStream(true).start();
    String output = new String(poppler.getInputStream().readAllBytes(), UTF_8);
    assertTrue(poppler.waitFor(120, TimeUnit.SECONDS), "pdftoppm did not finish");
    assertEquals(0, poppler.exitValue(), "pdftoppm failed: " + output);
    assertTrue(output.isBlank(), "pdftoppm complained: " + output);

    List<Path> pngs;
    try (Stream<Path> files = Files.list(dir)) {
      pngs = files.filter(p -> p.getFileName().toString().matches("page-\\d+\\.png")).sorted().toList();
    }
    assertEquals(pages, pngs.size(), "one image per page");
    for (Path png : pngs) {
      BufferedImage image = ImageIO.read(png.toFile());
      assertNotNull(image, png + " does not decode");
      double ink = ink(image);
      assertTrue(ink > 0.01, png.getFileName() + " is blank: " + ink + " of its pixels are not white");
    }
  }

  @Test
  void splitsATableTooWideForALandscapePage() throws IOException {
    List<ReportColumn> columns = new ArrayList<>();
    columns.add(text("region_code", "", ""));
    for (int c = 1; c < 30; c++) {
      columns.add(decimal("a_rather_long_indicator_" + c, 3, "", "", ""));
    }
    List<Object[]> rows = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      Object[] row = new Object[columns.size()];
      row[0] = "PL71" + r;
      for (int c = 1; c < row.length; c++) {
        row[c] = 1000.0 * r + c / 7.0;
      }
      rows.add(row);
    }
    ReportTable wide = new ReportTable("wide", "Wide table", "Thirty columns.", columns, rows);
    Path file = dir.resolve("wide.pdf");
    SummaryPdf.write(new SummaryPdf.Content("Wide", "run x", List.of(), List.of(), List.of(wide), 100, "f"), file);

    try (PDDocument doc = Loader.loadPDF(file.toFile())) {
      String all = pageText(doc, 1, doc.getNumberOfPages());
      assertTrue(all.contains("Wide table (part 1 of"), all);
      // The last row's value of the last column: 4000 + 29 / 7.
      assertTrue(all.contains("4004.143"), "last column missing: " + all);
      PDPage last = doc.getPage(doc.getNumberOfPages() - 1);
      assertTrue(last.getMediaBox().getWidth() > last.getMediaBox().getHeight(), "wide table not in landscape");
    }
  }

  @Test
  void replacesTheFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("summary.pdf");
    Files.writeString(file, "an older report");
    SummaryPdf.write(new SummaryPdf.Content("T", "s", List.of(new SummaryPdf.Paragraph("p", false)), List.of(),
        List.of(), 10, "f"), file);

    assertTrue(Files.readString(file, ISO_8859_1).startsWith("%PDF-"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void failsWithTheFileNameWhenItCannotWrite() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    Path file = notADirectory.resolve("summary.pdf");
    SummaryPdf.Content content = new SummaryPdf.Content("T", "s", List.of(), List.of(), List.of(), 10, "f");

    LearningRegionsException e = assertThrows(LearningRegionsException.class, () -> SummaryPdf.write(content, file));
    assertTrue(e.getMessage().startsWith("cannot write " + file), e.getMessage());
    assertEquals(LearningRegionsException.FAILURE, e.exitCode());
  }

  @Test
  void formatsNumbersWithTheColumnsDecimals() {
    ReportColumn rate = decimal("rate", 1, "", "", "");
    assertEquals("12.3", SummaryPdf.format(rate, 12.345));
    assertEquals("0.0", SummaryPdf.format(rate, -0.01));
    assertEquals("-0.1", SummaryPdf.format(rate, -0.06));
    assertEquals("", SummaryPdf.format(rate, Double.NaN));
    assertEquals("2314", SummaryPdf.format(integer("n", "", "", ""), 2314L));
    assertEquals("", SummaryPdf.format(text("t", "", ""), null));
  }

  // ---- fixtures

  private static SummaryPdf.Content content() {
    List<SummaryPdf.Paragraph> paragraphs = List.of(
        new SummaryPdf.Paragraph(HEADLINE, true),
        new SummaryPdf.Paragraph("This compares each region with itself over time and removes changes common to all "
            + "regions in a year. It is an association, not proof that learning causes higher productivity.", false),
        new SummaryPdf.Paragraph("The panel covers regions such as " + String.join(", ", NAMES) + ". Shanghai 上海 "
            + "is not in the data.", false));
    List<SummaryPdf.Figure> figures = List.of(
        new SummaryPdf.Figure("Learning and productivity", chart(new Color(0x0072B2)), "Each bar is a region."),
        new SummaryPdf.Figure("Learning rates by country", chart(new Color(0xD55E00)), "Mean rate per country."));
    return new SummaryPdf.Content(TITLE, "Report of run 2024-05-01T10-00-00Z-ab12 · 1 May 2024", paragraphs, figures,
        List.of(regions()), 100, "Learning regions · run 2024-05-01T10-00-00Z-ab12");
  }

  /** 120 regions: the first suppressed, the second of low reliability, two with hostile or multi-line names. */
  private static ReportTable regions() {
    List<ReportColumn> columns = List.of(
        text("region_code", "NUTS code", "test"),
        text("region_name", "name", "test"),
        integer("year", "", "year", "test"),
        decimal("learning_rate", 1, "percent", "rate", "test").qualifiedBy("reliability"),
        text("reliability", "ok, low or suppressed", "test"),
        decimal("productivity_eur", 0, "EUR", "productivity", "test"));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String name = switch (i) {
        case 2 -> HOSTILE;
        case 3 -> "Line one\nline two";
        default -> NAMES.get(i % NAMES.size());
      };
      String reliability = i == 0 ? ReportTable.SUPPRESSED : i == 1 ? ReportTable.LOW : "ok";
      Double rate = i == 0 ? null : 5 + i % 17 * 1.25;
      rows.add(new Object[] {"R" + i, name, 2015L + i % 8, rate, reliability, 40_000.0 + 137.5 * i});
    }
    return new ReportTable("regions", "Regions, latest year", "One row per region at its latest year.", columns,
        rows);
  }

  /** A bar chart stand-in, at twice its printed size as the report's charts are. */
  private static BufferedImage chart(Color color) {
    BufferedImage image = new BufferedImage(1520, 840, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setColor(color);
      for (int i = 0; i < 12; i++) {
        int height = 120 + 50 * (i % 7);
        g.fillRect(100 + i * 110, 760 - height, 80, height);
      }
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(4));
      g.drawLine(80, 760, 1460, 760);
      g.drawLine(80, 60, 80, 760);
    } finally {
      g.dispose();
    }
    return image;
  }

  // ---- reading the PDF back

  /** The text of pages {@code from} to {@code to}, with every run of white space as one space. */
  private static String pageText(PDDocument doc, int from, int to) throws IOException {
    PDFTextStripper stripper = new PDFTextStripper();
    stripper.setStartPage(from);
    stripper.setEndPage(to);
    return stripper.getText(doc).replaceAll("\\s+", " ");
  }

  private static int images(PDDocument doc) throws IOException {
    int images = 0;
    for (PDPage page : doc.getPages()) {
      for (COSName name : page.getResources().getXObjectNames()) {
        images += page.getResources().isImageXObject(name) ? 1 : 0;
      }
    }
    return images;
  }

  /** Share of pixels that are not white. */
  private static double ink(BufferedImage image) {
    long ink = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        if (((rgb >> 16) & 0xff) < 250 || ((rgb >> 8) & 0xff) < 250 || (rgb & 0xff) < 250) {
          ink++;
        }
      }
    }
    return (double) ink / ((long) image.getWidth() * image.getHeight());
  }
}
