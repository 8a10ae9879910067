package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.PaneInformation;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.LearningRegionsException;

/**
 * The XLSX, CSV and codebook exports of report tables: typed cells, no formula from data, suppressed and low
 * estimates, and hostile region names. Files are read back with POI and an RFC 4180 parser of this test's own.
 */
@Tag("fast")
class TableExportTest {
  private static final String HYPERLINK = "=HYPERLINK(\"http://evil\",\"x\")";
  private static final String MULTI_LINE = "Name, with \"quotes\"\nand a newline";
  private static final List<String> HOSTILE = List.of(HYPERLINK, "+SUM(A1)", "-2+3", "@cmd");

  // Column positions in RATES.
  private static final int CODE = 0;
  private static final int NAME = 1;
  private static final int YEAR = 2;
  private static final int RATE = 3;
  private static final int RESPONDENTS = 4;
  private static final int RELIABILITY = 5;

  private static final ReportTable RATES = new ReportTable("learning_rates", "Learning rates",
      "One row per region and year.", List.of(
          ReportColumn.text("region_code", "NUTS code", "silver.regional_indicator"),
          ReportColumn.text("region_name", "region name as published", "silver.regional_indicator"),
          ReportColumn.integer("year", "year", "reference year", "silver.regional_indicator"),
          ReportColumn.decimal("learning_rate", 3, "%", "share of adults learning | last 4 weeks", "gold.rates")
              .qualifiedBy("reliability"),
          ReportColumn.integer("respondents", "persons", "respondents behind the rate", "gold.rates"),
          ReportColumn.text("reliability", "suppressed, low or empty", "gold.rates")),
      List.of(
          new Object[] {"XX1", HYPERLINK, 2020, 12.3456789, 120L, null},
          new Object[] {"XX2", "+SUM(A1)", 2020, 1.0e-7, 130L, null},
          new Object[] {"XX3", "-2+3", 2021, 1234567.891, 140L, null},
          new Object[] {"XX4", "@cmd", 2021, 5.0, 150L, null},
          new Object[] {"XX5", MULTI_LINE, 2021, 7.25, 160L, null},
          new Object[] {"XX6", "Suppressed region", 2021, null, 3L, ReportTable.SUPPRESSED},
          new Object[] {"XX7", "Low region", 2021, 4.5, 12L, ReportTable.LOW},
          // A value that should have been nulled upstream: still never published.
          new Object[] {"XX8", "Leaky region", 2021, 9.99, 2L, ReportTable.SUPPRESSED}));

  private static final ReportTable RUNS = new ReportTable("model_runs", "Model runs", "One row per model.",
      List.of(ReportColumn.text("model_name", "model", "gold.model_runs"),
          ReportColumn.decimal("r2", 2, "", "R squared", "gold.model_runs")),
      List.<Object[]>of(new Object[] {"pooled", 0.5}));

  @TempDir
  Path dir;

  @Test
  void xlsxHasTypedSheetsAFrozenBoldHeaderAndNoFormula() throws IOException {
    Path file = dir.resolve("tables.xlsx");
    XlsxExport.write(List.of(RATES, RUNS), file);
    // From a stream: a workbook opened on the File itself is read-write and rewrites the file when closed.
    try (InputStream in = Files.newInputStream(file); XSSFWorkbook wb = new XSSFWorkbook(in)) {
      assertEquals(List.of("learning_rates", "model_runs", "codebook"),
          List.of(wb.getSheetName(0), wb.getSheetName(1), wb.getSheetName(2)));
      assertEquals(3, wb.getNumberOfSheets());
      for (Sheet sheet : wb) {
        Cell first = sheet.getRow(0).getCell(0);
        assertTrue(wb.getFontAt(first.getCellStyle().getFontIndex()).getBold(), sheet.getSheetName());
        PaneInformation pane = sheet.getPaneInformation();
        assertTrue(pane.isFreezePane(), sheet.getSheetName());
        assertEquals(1, pane.getHorizontalSplitPosition(), sheet.getSheetName());
        assertEquals(0, pane.getVerticalSplitPosition(), sheet.getSheetName());
        for (Row row : sheet) {
          for (Cell cell : row) {
            assertNotEquals(CellType.FORMULA, cell.getCellType(), sheet.getSheetName() + "!" + cell.getAddress());
          }
        }
      }
      XSSFSheet rates = wb.getSheet("learning_rates");
      assertEquals("A1:F9", rates.getCTWorksheet().getAutoFilter().getRef());
      assertEquals(RATES.rows().size() + 1, rates.getPhysicalNumberOfRows());

      for (int r = 1; r <= RATES.rows().size(); r++) {
        Row row = rates.getRow(r);
        assertEquals(CellType.STRING, row.getCell(CODE).getCellType());
        assertEquals(CellType.STRING, row.getCell(NAME).getCellType());
        assertEquals(CellType.NUMERIC, row.getCell(YEAR).getCellType());
        assertEquals("0", row.getCell(YEAR).getCellStyle().getDataFormatString());
        assertEquals(CellType.NUMERIC, row.getCell(RESPONDENTS).getCellType());
      }
      Row first = rates.getRow(1);
      assertEquals(CellType.NUMERIC, first.getCell(RATE).getCellType());
      assertEquals(12.3456789, first.getCell(RATE).getNumericCellValue());
      assertEquals("0.000", first.getCell(RATE).getCellStyle().getDataFormatString());
      assertEquals("0.00", wb.getSheet("model_runs").getRow(1).getCell(1).getCellStyle().getDataFormatString());
      assertNull(first.getCell(RELIABILITY), "a null value is a blank cell");
      assertFalse(first.getCell(CODE).getCellStyle().getQuotePrefixed(), "ordinary text is not quote-prefixed");

      for (int r = 0; r < HOSTILE.size(); r++) {
        Cell name = rates.getRow(r + 1).getCell(NAME);
        assertEquals(HOSTILE.get(r), name.getStringCellValue());
        assertTrue(name.getCellStyle().getQuotePrefixed(), HOSTILE.get(r));
      }
      assertEquals(MULTI_LINE, rates.getRow(5).getCell(NAME).getStringCellValue());

      for (int r : new int[] {6, 8}) {
        Cell suppressed = rates.getRow(r).getCell(RATE);
        assertEquals(CellType.STRING, suppressed.getCellType());
        assertEquals("suppressed", suppressed.getStringCellValue());
        assertTrue(wb.getFontAt(suppressed.getCellStyle().getFontIndex()).getItalic());
      }
      Cell low = rates.getRow(7).getCell(RATE);
      assertEquals(CellType.NUMERIC, low.getCellType());
      assertEquals(4.5, low.getNumericCellValue());
      assertEquals(FillPatternType.SOLID_FOREGROUND, low.getCellStyle().getFillPattern());
      assertEquals("0.000", low.getCellStyle().getDataFormatString());
      assertEquals(FillPatternType.NO_FILL, first.getCell(RATE).getCellStyle().getFillPattern());

      Sheet codebook = wb.getSheet("codebook");
      int columns = RATES.columns().size() + RUNS.columns().size();
      assertEquals(columns + 1, codebook.getPhysicalNumberOfRows(), "a header and one row per column");
      assertEquals(List.of("table", "column", "type", "unit", "meaning", "source", "qualified_by"),
          texts(codebook.getRow(0), 7));
      assertEquals(List.of("learning_rates", "learning_rate", "decimal", "%"), texts(codebook.getRow(4), 4));
      assertEquals("reliability", codebook.getRow(4).getCell(6).getStringCellValue());
      assertEquals(List.of("model_runs", "r2"), texts(codebook.getRow(columns), 2));
      // The reliability legend sits beside the codebook's 7 columns, after one empty column, adding no rows.
      assertEquals(List.of("legend", "suppressed", "low"), List.of(codebook.getRow(0).getCell(8).getStringCellValue(),
          codebook.getRow(1).getCell(8).getStringCellValue(), codebook.getRow(2).getCell(8).getStringCellValue()));
      assertTrue(codebook.getRow(1).getCell(9).getStringCellValue().startsWith("suppressed: "));
    }
    assertEquals(List.of(file), listDir(), "no temporary file is left behind");
  }

  @Test
  void csvIsNeutralisedQuotedAndPlain() throws IOException {
    Path file = dir.resolve("csv").resolve("learning_rates.csv");
    assertEquals(RATES.rows().size(), TableCsv.write(RATES, file));
    byte[] bytes = Files.readAllBytes(file);
    assertNotEquals((byte) 0xEF, bytes[0], "no byte order mark");
    List<List<String>> rows = parseCsv(new String(bytes, StandardCharsets.UTF_8));

    assertEquals(RATES.rows().size() + 1, rows.size());
    assertEquals(List.of("region_code", "region_name", "year", "learning_rate", "respondents", "reliability"),
        rows.get(0));
    for (int r = 0; r < HOSTILE.size(); r++) {
      assertEquals("'" + HOSTILE.get(r), rows.get(r + 1).get(NAME));
    }
    assertEquals(MULTI_LINE, rows.get(5).get(NAME));
    assertEquals(List.of("XX1", "'" + HYPERLINK, "2020", "12.3456789", "120", ""), rows.get(1));
    assertEquals("0.0000001", rows.get(2).get(RATE));
    assertEquals("1234567.891", rows.get(3).get(RATE));
    for (List<String> row : rows.subList(1, rows.size())) {
      assertFalse(row.get(RATE).matches(".*[eE].*"), "no exponent: " + row.get(RATE));
    }
    for (int r : new int[] {6, 8}) {
      assertEquals("", rows.get(r).get(RATE), "a suppressed estimate has no value");
      assertEquals("suppressed", rows.get(r).get(RELIABILITY));
    }
    assertEquals(List.of("XX7", "Low region", "2021", "4.5", "12", "low"), rows.get(7));

    // Written again: replaced in place, nothing left over.
    TableCsv.write(RUNS, file);
    assertEquals(List.of(List.of("model_name", "r2"), List.of("pooled", "0.5")),
        parseCsv(Files.readString(file)));
    assertEquals(List.of(file), listDir(dir.resolve("csv")));
  }

  @Test
  void codebookHasOneRowPerColumnAndEscapesMarkdown() throws IOException {
    ReportTable codebook = Codebook.of(List.of(RATES, RUNS));
    assertEquals("codebook", codebook.name());
    assertEquals(RATES.columns().size() + RUNS.columns().size(), codebook.rows().size());
    Path file = dir.resolve("codebook.csv");
    TableCsv.write(codebook, file);
    List<List<String>> rows = parseCsv(Files.readString(file));
    assertEquals(List.of("learning_rates", "learning_rate", "decimal", "%",
        "share of adults learning | last 4 weeks", "gold.rates", "reliability"), rows.get(4));
    assertEquals("", rows.get(1).get(6), "an unqualified column has an empty qualified_by");

    String md = Codebook.markdown(List.of(RATES, RUNS));
    assertTrue(md.contains("## Learning rates (`learning_rates`)"), md);
    assertTrue(md.contains("| share of adults learning \\| last 4 weeks |"), md);
    assertFalse(md.contains("learning | last"), "an unescaped | would split the cell");
    assertTrue(md.contains("| `learning_rate` | decimal | % |"), md);
    assertTrue(md.contains("| `reliability` |\n"), md);
  }

  @Test
  void badTablesAndUnwritableFilesFailClearly() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    LearningRegionsException e = assertThrows(LearningRegionsException.class,
        () -> TableCsv.write(RUNS, notADirectory.resolve("runs.csv")));
    assertTrue(e.getMessage().startsWith("cannot write " + notADirectory.resolve("runs.csv") + ": "), e.getMessage());
    assertThrows(LearningRegionsException.class,
        () -> XlsxExport.write(List.of(RUNS), notADirectory.resolve("tables.xlsx")));

    ReportTable named = new ReportTable("Codebook", "t", "d", RUNS.columns(), RUNS.rows());
    assertThrows(IllegalArgumentException.class, () -> XlsxExport.write(List.of(named), dir.resolve("a.xlsx")));
    ReportTable wrongType = new ReportTable("runs", "t", "d", RUNS.columns(),
        List.<Object[]>of(new Object[] {"pooled", "0.5"}));
    assertThrows(IllegalArgumentException.class, () -> TableCsv.write(wrongType, dir.resolve("b.csv")));
    assertEquals(List.of(notADirectory), listDir(), "a failed export leaves no file");
  }

  private static List<String> texts(Row row, int cells) {
    List<String> texts = new ArrayList<>();
    for (int c = 0; c < cells; c++) {
      texts.add(row.getCell(c).getStringCellValue());
    }
    return texts;
  }

  private List<Path> listDir() throws IOException {
    return listDir(dir);
  }

  private static List<Path> listDir(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** An RFC 4180 parser independent of the code under test: records of fields; LF or CRLF ends a record. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < text.length()) {
      char ch = text.charAt(i++);
      if (quoted) {
        if (ch != '"') {
          field.append(ch);
        } else if (i < text.length() && text.charAt(i) == '"') {
          field.append('"');
          i++;
        } else {
          quoted = false;
        }
      } else if (ch == '"') {
        assertEquals(0, field.length(), "a quote inside an unquoted field");
        quoted = true;
      } else if (ch == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i < text.length() && text.charAt(i) == '\n') {
          i++;
        }
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
      } else {
        field.append(ch);
      }
    }
    assertFalse(quoted, "unterminated quoted field");
    assertTrue(record.isEmpty() && field.length() == 0, "the last record ends with a line break");
    return records;
  }
}
