package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;
import org.learningregions.SamplePipeline;
import org.learningregions.SparkTestSession;

/**
 * The report of a pipeline run in all its formats, opened the way its readers open them: the HTML parsed and
 * rendered by headless Chromium, the PDF rendered page by page by pdftoppm, the XLSX re-opened by POI, the CSVs
 * parsed. The learning-city registry of the run carries hostile names, which must come out inert everywhere.
 */
@Tag("slow")
class ReportEndToEndTest {
  static final String SCRIPT_CITY = SamplePipeline.SCRIPT_CITY;
  static final String FORMULA_CITY = SamplePipeline.FORMULA_CITY;
  static final int LIMIT_A = 20;
  /** A sample region with a learning rate of normal reliability, whose map colour the rendering test checks. */
  static final String KNOWN_REGION = "SE11";

  @TempDir
  static Path tmp;

  static SamplePipeline sample;
  static Path dir;

  @BeforeAll
  static void runPipeline() {
    sample = SamplePipeline.get();
    dir = sample.reportDir();
  }

  @Test
  void writesEveryFormat() {
    for (String f : List.of("summary.html", "summary.pdf", "tables.xlsx", "codebook.md", "csv/model_coefficients.csv",
        "csv/analysis_panel.csv", "csv/region_profiles.csv", "csv/learning_rates.csv",
            "csv/learning_rate_comparison.csv",
        "csv/codebook.csv", "csv/learning_city_comparison.csv")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing");
    }
  }

  @Test
  void htmlIsWellFormedSelfContainedAndEscapesInputs() throws Exception {
    String html = Files.readString(dir.resolve("summary.html"));
    // Well-formed: the page parses as XML once the doctype is removed (void elements are not used unclosed).
    String xml = html.replaceFirst("<!DOCTYPE html>", "").replace("<meta charset=\"utf-8\">",
        "<meta charset=\"utf-8\"/>")
        .replaceAll("<meta name=\"viewport\" content=\"([^\"]*)\">", "<meta name=\"viewport\" content=\"$1\"/>")
        .replaceAll("(<input [^>]*[^/])>", "$1/>").replace("&ndash;", "&#8211;");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//").matcher(html).find(),
        "no external resource may be referenced");
    assertFalse(html.contains("<script>alert"), "registry text must be escaped");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"));
    assertEquals(10, count(html, "<figure id="), "five maps and five charts");
    // The coefficient chart's rows carry plain-word model labels: it is drawn wider than the other charts.
    assertTrue(Pattern.compile("<figure id=\"coefficients\"><svg id='fig-coefficients'[^>]* width='"
        + ReportFigures.WIDE + "'").matcher(html).find(), "coefficient chart width");
    int at = html.indexOf("<table class=\"models\">");
    String models = html.substring(at, html.indexOf("</table>", at));
    assertEquals(1, count(models, "<code>twoway_fe_lag1_country</code>"), "a model's name once, its terms beside it");
    assertTrue(Pattern.compile("<code>twoway_fe_lag1_country</code><br/><span class=\"note\">Clustered by country; N = "
        + "[0-9,]+,\\s+[0-9]+ clusters</span>").matcher(models).find(), "its SE and sample under its name");
    assertEquals(10, Pattern.compile("<figure id=\"[a-z-]+\"><svg ").matcher(html).results().count(),
        "figures are inline SVG");
    assertTrue(count(html, "<div class=\"locator\"><svg ") >= 10, "region profiles have a locator map");
    assertTrue(html.contains("id=\"region-filter\""));
    assertTrue(count(html, "<details class=\"profile\"") >= 10);
  }

  @Test
  void headlineStatesTheModelsEstimateAndInterval() throws Exception {
    String html = Files.readString(dir.resolve("summary.html"));
    org.apache.spark.sql.Row c = SparkTestSession.get().read().format("delta")
        .load(sample.lakehouse.resolve("gold/model_coefficients").toString())
        .filter("model_name = 'twoway_fe_lag1' and term = 'learning_rate_lag1'").head();
    String expected = "has on average " + ReportText.percent(c.getAs("estimate")) + " higher output per person "
        + "employed, 95% interval " + ReportText.percent(c.getAs("ci_low")) + " to "
        + ReportText.percent(c.getAs("ci_high"));
    assertTrue(html.contains(expected), "HTML headline: " + expected);
    String pdfText = RenderedReport.pdfText(dir.resolve("summary.pdf")).get(0);
    assertTrue(pdfText.contains(expected), "PDF first page: " + pdfText);
    // The headline under the other configured inference, side by side, and what the conclusion rests on.
    org.apache.spark.sql.Row country = SparkTestSession.get().read().format("delta")
        .load(sample.lakehouse.resolve("gold/model_coefficients").toString())
        .filter("model_name = 'twoway_fe_lag1_country' and term = 'learning_rate_lag1'").head();
    String wcr = "wild cluster bootstrap by country";
    String interval = ReportText.percent(country.getAs("ci_wcr_low")) + " to "
        + ReportText.percent(country.getAs("ci_wcr_high"));
    for (String text : List.of(html, pdfText)) {
      assertTrue(text.contains("How sure are we?"), text);
      assertTrue(text.contains(wcr) && text.contains(interval), "WCR interval " + interval);
      assertTrue(text.contains("The conclusion rests on the " + wcr), text);
      assertTrue(text.contains("Driscoll-Kraay"), text);
    }
    assertTrue(html.contains("<h2>How sure are we</h2>"));
    // The maps come first among the figures, with a tooltip per region (Wien is a sample region).
    assertTrue(html.indexOf("id=\"map-learning\"") < html.indexOf("id=\"map-productivity\"")
        && html.indexOf("id=\"map-productivity\"") < html.indexOf("id=\"scatter\""), "figure order");
    assertTrue(Pattern.compile("<g id='map-learning-AT13'[^>]*><title>Wien \\(AT13\\): ").matcher(html).find(),
        "each region carries its tooltip");
    assertTrue(html.indexOf("class=\"headline\"") < html.indexOf("id=\"map-learning\""), "headline first");
    assertTrue(html.contains("Two-way fixed effects, learning one year earlier"), "model labels");
    assertTrue(html.contains("Adults in learning a year earlier (percentage points)"), "term labels");
  }

  /**
   * Chromium's rendering of the page: a known region has the colour of its quantile class, a region without data is
   * grey, the legend's colours are on screen, and no table header wraps inside a word.
   */
  @Test
  void chromiumDrawsTheMapsInTheirClassColours() throws Exception {
    RenderedReport.assertMapsAsReadersSeeThem(dir, KNOWN_REGION, tmp, "summary-chromium.png");
  }

  /**
   * summary.pdf as pdftoppm renders it: every page numbered with the running header, the learning map's classes and
   * its grey on the page that holds it, the headers' words whole, and no page blank.
   */
  @Test
  void pdfPagesShowTheMapsAndNumberEveryPage() throws Exception {
    Path pdf = dir.resolve("summary.pdf");
    List<String> text = RenderedReport.pdfText(pdf);
    String runId = dir.getFileName().toString();
    int mapPage = -1;
    for (int i = 0; i < text.size(); i++) {
      assertTrue(text.get(i).contains("page " + (i + 1) + " of " + text.size()), "footer of page " + (i + 1));
      assertTrue(text.get(i).contains("report of run " + runId), "running header of page " + (i + 1));
      if (mapPage < 0 && text.get(i).contains("Adults in education and training, by region.")) {
        mapPage = i + 1;
      }
    }
    assertTrue(mapPage > 0, "no page with the learning map");
    String all = String.join(" ", text);
    for (String header : List.of("Model", "Term", "Estimate", "Standard error", "95% interval", "Observations",
        "Meaning")) {
      for (String word : header.split(" ")) {
        assertTrue(Pattern.compile("(^|\\s)" + Pattern.quote(word) + "(\\s|$)").matcher(all).find(),
            "header word '" + word + "' is not whole in the PDF");
      }
    }
    // Whitespace collapsed: a name may wrap in its table cell.
    assertTrue(all.replaceAll("\\s+", " ").contains(SCRIPT_CITY), "the hostile city name prints as plain text");
    List<Path> pages = RenderedReport.pdfPages(pdf, tmp.resolve("pdf-pages"), 30, 1, text.size());
    assertEquals(text.size(), pages.size());
    for (Path page : pages) {
      assertTrue(nonWhiteShare(ImageIO.read(page.toFile())) > 0.005, page + " is blank");
    }
    Path map = RenderedReport.pdfPages(pdf, tmp.resolve("pdf-map"), 100, mapPage, mapPage).get(0);
    BufferedImage img = ImageIO.read(map.toFile());
    for (String colour : RegionMap.YELLOW_GREEN_BLUE) {
      assertTrue(RenderedReport.pixels(img, colour, 3) >= 50, colour + " not on the PDF's map page");
    }
    assertTrue(RenderedReport.pixels(img, RegionMap.NO_DATA, 3) >= 500, "no grey (no data) on the PDF's map page");
    Files.createDirectories(Paths.get("target", "rendered-report"));
    Files.copy(map, Paths.get("target", "rendered-report", "summary-pdf-map-page.png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pages.get(0), Paths.get("target", "rendered-report", "summary-pdf-page1.png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The residual map's numbers: rebuilt from the stored coefficients and the panel, the residuals of the two-way,
   * one-way and pooled models square-sum to what the fitter recorded (rmse^2 x N), and the maps are in the page.
   */
  @Test
  void residualsRebuiltFromTheStoredFitMatchItsSumOfSquares() throws Exception {
    var spark = SparkTestSession.get();
    var gold = sample.lakehouse.resolve("gold");
    var panel = spark.read().format("delta").load(gold.resolve("analysis_panel").toString());
    for (String model : List.of("twoway_fe_lag1", "region_fe_lag1", "pooled_ols_lag1")) {
      org.apache.spark.sql.Row run = spark.read().format("delta").load(gold.resolve("model_runs").toString())
          .filter(org.apache.spark.sql.functions.col("model_name").equalTo(model)).orderBy(
              org.apache.spark.sql.functions.col("fitted_at").desc()).head();
      Map<String, Double> b = new java.util.LinkedHashMap<>();
      for (org.apache.spark.sql.Row c : spark.read().format("delta").load(gold.resolve("model_coefficients")
          .toString()).filter(org.apache.spark.sql.functions.col("run_id").equalTo(run.<String>getAs("run_id")))
          .collectAsList()) {
        b.put(c.getAs("term"), c.getAs("estimate"));
      }
      ModelResiduals.Result r = ModelResiduals.of(panel, run, b);
      assertNotNull(r, model);
      double rmse = run.getAs("rmse");
      double ssr = rmse * rmse * run.<Long>getAs("n_obs");
      assertEquals(ssr, r.ssr(), 1e-8 * ssr, model + ": sum of squared residuals");
      assertTrue(r.n() >= run.<Long>getAs("n_obs"), model + ": every row of the fit's sample is there");
    }
    String html = Files.readString(dir.resolve("summary.html"));
    assertTrue(html.contains("id=\"map-residuals\"") && html.contains("id=\"map-learning-change\""), "maps");
    // The index section states the spotlight regions' place in words, with the interval from gold.learning_index.
    org.apache.spark.sql.Row se11 = spark.read().format("delta").load(gold.resolve("learning_index").toString())
        .filter("region_code = 'SE11'").head();
    String words = "Stockholm (SE11) scores " + SummaryDocument.fmt(se11.getAs("score"), 1) + " and ranks "
        + SummaryContext.ordinal(se11.<Integer>getAs("rank")) + " of " + se11.getAs("regions_ranked")
        + " regions; built in the other ways the Monte Carlo tries, it ranks between "
        + SummaryContext.ordinal(Math.round(se11.<Double>getAs("rank_p05"))) + " and "
        + SummaryContext.ordinal(Math.round(se11.<Double>getAs("rank_p95")));
    assertTrue(html.contains(words), words);
    assertTrue(html.contains("id=\"map-index\"") && html.contains("id=\"index-ranks\""), "index map and ranks");
    assertEquals("1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 101st 111th", String.join(" ", java.util.stream.LongStream
        .of(1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111).mapToObj(SummaryContext::ordinal).toList()));
  }

  @Test
  void xlsxReopensWithTypedSheetsAndInertText() throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook(dir.resolve("tables.xlsx").toFile())) {
      List<String> sheets = new ArrayList<>();
      wb.forEach(s -> sheets.add(s.getSheetName()));
      assertTrue(sheets.containsAll(List.of("model_coefficients", "analysis_panel", "region_profiles",
          "learning_rates_totals", "learning_cities", "codebook")), sheets.toString());
      Sheet coef = wb.getSheet("model_coefficients");
      assertNotNull(coef.getPaneInformation(), "frozen header");
      int estimate = -1;
      for (Cell c : coef.getRow(0)) {
        estimate = c.getStringCellValue().equals("estimate") ? c.getColumnIndex() : estimate;
      }
      assertEquals(CellType.NUMERIC, coef.getRow(1).getCell(estimate).getCellType(), "estimate is a number");
      assertEquals("model_label", coef.getRow(0).getCell(1).getStringCellValue(), "labels beside the codes");
      boolean foundFormulaText = false;
      for (Sheet s : wb) {
        for (Row r : s) {
          for (Cell c : r) {
            assertFalse(c.getCellType() == CellType.FORMULA, s.getSheetName() + " has a formula cell");
            if (c.getCellType() == CellType.STRING && FORMULA_CITY.equals(c.getStringCellValue())) {
              assertTrue(c.getCellStyle().getQuotePrefixed(), "formula-like text must be quote-prefixed");
              foundFormulaText = true;
            }
          }
        }
      }
      assertTrue(foundFormulaText, "the hostile city name is exported as text");
      // The export scan, for the workbook: no person-level column, no count below the suppression limit.
      for (Sheet s : wb) {
        Row header = s.getRow(0);
        int nColumn = -1;
        for (Cell c : header) {
          assertFalse(List.of("respondent_id", "weight").contains(c.getStringCellValue()), s.getSheetName());
          if (c.getStringCellValue().equals("n")) {
            nColumn = c.getColumnIndex();
          }
        }
        for (Row r : s) {
          Cell n = nColumn < 0 || r.getRowNum() == 0 ? null : r.getCell(nColumn);
          if (n != null && n.getCellType() == CellType.NUMERIC) {
            assertTrue(n.getNumericCellValue() >= LIMIT_A, s.getSheetName() + " row " + r.getRowNum());
          }
        }
      }
    }
  }

  @Test
  void csvNeutralisesFormulasAndExportsNoSmallCellsOrPersons() throws Exception {
    String cities = Files.readString(dir.resolve("csv/learning_cities.csv"));
    assertTrue(cities.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""), cities);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".csv")).toList()) {
        List<Map<String, String>> rows = Csv.read(f);
        if (rows.isEmpty()) {
          continue;
        }
        assertFalse(rows.get(0).containsKey("respondent_id") || rows.get(0).containsKey("weight"),
            f + " holds person-level columns");
        for (Map<String, String> r : rows) {
          String reliability = r.getOrDefault("reliability", "");
          if (r.containsKey("n") && !r.get("n").isEmpty()) {
            assertTrue(Long.parseLong(r.get("n")) >= LIMIT_A, f + ": a cell of n < " + LIMIT_A + " is exported: " + r);
          }
          if (reliability.equals("suppressed")) {
            for (String c : List.of("rate", "se", "ci_low", "ci_high", "survey_rate", "n")) {
              assertTrue(r.getOrDefault(c, "").isEmpty(), f + ": suppressed cell has " + c + ": " + r);
            }
          }
        }
      }
    }
  }

  @Test
  void reportOfAnEarlierRunReadsTheTablesAsThatRunLeftThem() throws Exception {
    String runId = dir.getFileName().toString();
    Path again = tmp.resolve("reports-again");
    CliRunner.Result r = CliRunner.run("report", "--conf", "conf/local.conf", "-Dlakehouse=" + sample.lakehouse,
        "-Dreports=" + again, "--run-id", runId);
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(Files.readString(dir.resolve("csv/model_coefficients.csv")),
        Files.readString(again.resolve(runId).resolve("csv/model_coefficients.csv")));
    CliRunner.Result unknown = CliRunner.run("report", "--conf", "conf/local.conf", "-Dlakehouse=" + sample.lakehouse,
        "-Dreports=" + again, "--run-id", "20000101T000000Z-0000");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("no run 20000101T000000Z-0000"), unknown.err());
  }

  @Test
  void elasticNetRunsStayOutOfTheReportsInferenceTables() throws Exception {
    Path lh = sample.copy(tmp.resolve("lh-copy"));
    CliRunner.Result fit = CliRunner.run("fit", "--conf", "conf/local.conf", "-Dlakehouse=" + lh,
        "--formula", "log_productivity_eur ~ learning_rate_lag1", "--estimator", "elastic-net", "--folds", "3",
        "--name", "prediction_only");
    assertEquals(0, fit.exitCode(), fit.err());
    long stored = SparkTestSession.get().read().format("delta").load(lh.resolve("gold/model_coefficients").toString())
        .filter("model_name = 'prediction_only' and se_type = 'none'").count();
    assertEquals(2, stored, "intercept and slope recorded in gold.model_coefficients");
    Path reports = tmp.resolve("reports-with-prediction");
    CliRunner.Result r = CliRunner.run("report", "--conf", "conf/local.conf", "-Dlakehouse=" + lh,
        "-Dreports=" + reports);
    assertEquals(0, r.exitCode(), r.err());
    Path csv;
    try (Stream<Path> s = Files.walk(reports)) {
      csv = s.filter(f -> f.endsWith("csv/model_coefficients.csv")).findFirst().orElseThrow();
    }
    String coefficients = Files.readString(csv);
    assertTrue(coefficients.contains("twoway_fe_lag1"), coefficients);
    assertFalse(coefficients.contains("prediction_only"), coefficients);
  }

  private static double nonWhiteShare(BufferedImage img) {
    long non = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        if (rgb != 0xFFFFFF) {
          non++;
        }
      }
    }
    return non / (double) (img.getWidth() * (long) img.getHeight());
  }

  private static int count(String s, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** A small RFC 4180 reader, independent of the exporters. */
  static final class Csv {
    static List<Map<String, String>> read(Path file) throws IOException {
      List<List<String>> records = parse(Files.readString(file, StandardCharsets.UTF_8));
      List<Map<String, String>> out = new ArrayList<>();
      for (int i = 1; i < records.size(); i++) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int j = 0; j < records.get(0).size(); j++) {
          m.put(records.get(0).get(j), j < records.get(i).size() ? records.get(i).get(j) : "");
        }
        out.add(m);
      }
      return out;
    }

    static List<List<String>> parse(String text) {
      List<List<String>> out = new ArrayList<>();
      List<String> record = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          record.add(field.toString());
          field.setLength(0);
        } else if (c == '\n') {
          record.add(field.toString());
          field.setLength(0);
          out.add(record);
          record = new ArrayList<>();
        } else if (c != '\r') {
          field.append(c);
        }
      }
      if (field.length() > 0 || !record.isEmpty()) {
        record.add(field.toString());
        out.add(record);
      }
      return out;
    }
  }
}
