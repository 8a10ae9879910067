package org.learningregions.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.AtomicFiles;
import org.learningregions.util.CsvWriter;

/**
 * Writes report tables as one workbook (tables.xlsx): a sheet per table, named like the table, and a last sheet
 * {@value Codebook#NAME} ({@link Codebook#of}). Each sheet has a bold, frozen header row with an auto-filter and typed
 * cells: text as string cells, integers and decimals as numbers with the column's number of decimals.
 *
 * <p>Nothing from the data ever becomes a formula: text that a spreadsheet would treat as one (starting with =, +, -,
 * @, tab or CR) is a string cell with a quote-prefixed style, so Excel does not evaluate it even when the cell is
 * edited. A suppressed estimate shows "suppressed" in grey italics instead of a value; an estimate of low
 * reliability is a number on a light-yellow fill. The codebook sheet explains both beside its table.
 */
public final class XlsxExport {
  /** Rows kept in memory per sheet; more than any codebook has. */
  private static final int STREAM_WINDOW = 2_000;
  /** Widest column, in characters: longer text is still there, in the cell and the formula bar. */
  private static final int MAX_WIDTH = 60;
  /** Room for the auto-filter button beside a header name, in characters. */
  private static final int FILTER_BUTTON = 3;
  private static final int MAX_TEXT = SpreadsheetVersion.EXCEL2007.getMaxTextLength();
  private static final String TRUNCATED = "… [truncated; see the CSV]";

  private XlsxExport() {}

  /**
   * Writes {@code tables}, then their codebook, to {@code file}, replacing it atomically.
   *
   * @throws LearningRegionsException when the file cannot be written
   * @throws IllegalArgumentException when a table cannot be a sheet (invalid or repeated name, a table named
   *     {@value Codebook#NAME}, too many rows) or a row does not fit its columns; nothing is written then
   */
  public static void write(List<ReportTable> tables, Path file) {
    List<ReportTable> sheets = new ArrayList<>(tables);
    sheets.add(Codebook.of(tables));
    check(sheets);
    // Tables are checked before any file exists. The streaming workbook writes rows beyond its window to a temporary
    // file as it goes, so memory stays flat however long a sheet is. The window holds the codebook whole, because its
    // legend is written beside its first rows at the end.
    SXSSFWorkbook workbook = new SXSSFWorkbook(STREAM_WINDOW);
    try (workbook) {
      Styles styles = new Styles(workbook);
      for (ReportTable table : sheets) {
        writeSheet(workbook.createSheet(table.name()), table, styles);
      }
      legend(workbook.getSheet(Codebook.NAME), sheets.get(sheets.size() - 1).columns().size() + 1, styles);
      AtomicFiles.write(file, workbook::write);
      workbook.dispose();
    } catch (IOException e) {
      // Only closing the in-memory workbook can get here; writing failed inside AtomicFiles.write.
      throw LearningRegionsException.failure("cannot write " + file + ": " + AtomicFiles.cause(e), e);
    }
  }

  private static void check(List<ReportTable> sheets) {
    Set<String> names = new HashSet<>();
    int maxRows = SpreadsheetVersion.EXCEL2007.getMaxRows();
    for (ReportTable table : sheets) {
      WorkbookUtil.validateSheetName(table.name());
      // Excel compares sheet names without case; the codebook comes last, so a table named "codebook" clashes.
      if (!names.add(table.name().toUpperCase(Locale.ROOT))) {
        throw new IllegalArgumentException("two sheets named " + table.name() + " (names ignore case; \""
            + Codebook.NAME + "\" is taken by the codebook)");
      }
      if (table.rows().size() + 1 > maxRows) {
        throw new IllegalArgumentException("table " + table.name() + " has " + table.rows().size()
            + " rows, more than an XLSX sheet holds; export it as CSV only");
      }
      TableCsv.check(table);
    }
  }

  private static void writeSheet(Sheet sheet, ReportTable table, Styles styles) {
    List<ReportColumn> columns = table.columns();
    int[] width = new int[columns.size()];
    Row header = sheet.createRow(0);
    for (int c = 0; c < columns.size(); c++) {
      Cell cell = header.createCell(c);
      cell.setCellValue(columns.get(c).name());
      cell.setCellStyle(styles.header);
      width[c] = columns.get(c).name().length() + FILTER_BUTTON;
    }
    int r = 0;
    for (Object[] values : table.rows()) {
      Row row = sheet.createRow(++r);
      for (int c = 0; c < columns.size(); c++) {
        width[c] = Math.max(width[c], writeCell(row, c, table, values, styles));
      }
    }
    sheet.createFreezePane(0, 1);
    if (!columns.isEmpty()) {
      sheet.setAutoFilter(new CellRangeAddress(0, r, 0, columns.size() - 1));
    }
    for (int c = 0; c < columns.size(); c++) {
      sheet.setColumnWidth(c, width(width[c]));
    }
  }

  /** Writes cell {@code c} of a row and returns the length of its text as shown, for the column width. */
  private static int writeCell(Row row, int c, ReportTable table, Object[] values, Styles styles) {
    String reliability = table.reliability(values, c);
    // Suppression wins over a value that slipped through: a suppressed estimate is never published.
    if (ReportTable.SUPPRESSED.equals(reliability)) {
      Cell cell = row.createCell(c);
      cell.setCellValue(ReportTable.SUPPRESSED);
      cell.setCellStyle(styles.suppressed);
      return ReportTable.SUPPRESSED.length();
    }
    Object v = values[c];
    if (v == null) {
      return 0; // no cell at all: a blank cell
    }
    ReportColumn column = table.columns().get(c);
    if (column.type() == ColumnType.TEXT) {
      return writeText(row, c, v.toString(), styles);
    }
    double d = TableCsv.number(table, column, v).doubleValue();
    if (!Double.isFinite(d)) {
      return 0; // a cell cannot hold NaN or infinity (POI would write #NUM!): blank, as in the CSV
    }
    int decimals = column.type() == ColumnType.INTEGER ? 0 : Math.max(0, column.decimals());
    Cell cell = row.createCell(c);
    cell.setCellValue(d);
    cell.setCellStyle(styles.number(decimals, ReportTable.LOW.equals(reliability)));
    return shownLength(d, decimals);
  }

  private static int writeText(Row row, int c, String text, Styles styles) {
    if (text.isEmpty()) {
      return 0;
    }
    String s = text;
    if (s.length() > MAX_TEXT) {
      // A cell holds at most 32,767 characters (POI throws beyond); the CSV keeps the whole text.
      int cut = MAX_TEXT - TRUNCATED.length();
      cut = Character.isHighSurrogate(s.charAt(cut - 1)) ? cut - 1 : cut;
      s = s.substring(0, cut) + TRUNCATED;
    }
    Cell cell = row.createCell(c);
    cell.setCellValue(s);
    if (CsvWriter.looksLikeFormula(s)) {
      cell.setCellStyle(styles.quoted);
    }
    int longest = 0;
    for (String line : s.split("\r\n|\r|\n")) {
      longest = Math.max(longest, line.length());
    }
    return longest;
  }

  /** Characters of {@code d} formatted with {@code decimals} places, without formatting it. */
  private static int shownLength(double d, int decimals) {
    double abs = Math.abs(d);
    int digits = abs < 10 ? 1 : (int) Math.floor(Math.log10(abs)) + 1;
    return (d < 0 ? 1 : 0) + digits + (decimals > 0 ? decimals + 1 : 0);
  }

  /** A column width in POI's units (1/256 of a character), with a margin, capped. */
  private static int width(int characters) {
    return (Math.min(Math.max(characters, 1), MAX_WIDTH) + 2) * 256;
  }

  /**
   * Explains the reliability styles beside the codebook's table, one empty column to its right: outside the
   * auto-filter range, so sorting the codebook leaves it in place, and without adding rows to the codebook.
   */
  private static void legend(Sheet sheet, int column, Styles styles) {
    String[][] lines = {{"legend", null}, {ReportTable.SUPPRESSED, Codebook.SUPPRESSED_NOTE},
        {ReportTable.LOW, Codebook.LOW_NOTE}};
    CellStyle[] samples = {styles.header, styles.suppressed, styles.lowText};
    for (int i = 0; i < lines.length; i++) {
      Row row = sheet.getRow(i) != null ? sheet.getRow(i) : sheet.createRow(i);
      Cell sample = row.createCell(column);
      sample.setCellValue(lines[i][0]);
      sample.setCellStyle(samples[i]);
      if (lines[i][1] != null) {
        row.createCell(column + 1).setCellValue(lines[i][1]);
      }
    }
    sheet.setColumnWidth(column, width(ReportTable.SUPPRESSED.length()));
    sheet.setColumnWidth(column + 1, width(MAX_WIDTH) * 2);
  }

  /**
   * The cell styles of one workbook, each created once and shared by every cell that uses it: a workbook holds at
   * most 64,000 styles, and one style per cell would also bloat the file.
   */
  private static final class Styles {
    private final Workbook workbook;
    final CellStyle header;
    final CellStyle quoted;
    final CellStyle suppressed;
    final CellStyle lowText;
    /** Number styles by decimals; low-reliability styles under -1 - decimals. */
    private final Map<Integer, CellStyle> numbers = new HashMap<>();

    Styles(Workbook workbook) {
      this.workbook = workbook;
      Font bold = workbook.createFont();
      bold.setBold(true);
      header = workbook.createCellStyle();
      header.setFont(bold);
      quoted = workbook.createCellStyle();
      quoted.setQuotePrefixed(true);
      Font greyItalic = workbook.createFont();
      greyItalic.setItalic(true);
      greyItalic.setColor(IndexedColors.GREY_50_PERCENT.getIndex());
      suppressed = workbook.createCellStyle();
      suppressed.setFont(greyItalic);
      lowText = workbook.createCellStyle();
      fillLow(lowText);
    }

    CellStyle number(int decimals, boolean low) {
      return numbers.computeIfAbsent(low ? -1 - decimals : decimals, key -> {
        CellStyle style = workbook.createCellStyle();
        style.setDataFormat(workbook.createDataFormat().getFormat(format(decimals)));
        if (low) {
          fillLow(style);
        }
        return style;
      });
    }

    private static void fillLow(CellStyle style) {
      style.setFillForegroundColor(IndexedColors.LIGHT_YELLOW.getIndex());
      style.setFillPattern(FillPatternType.SOLID_FOREGROUND);
    }

    /** "0" for whole numbers, "0.000" for three decimals. */
    static String format(int decimals) {
      return decimals == 0 ? "0" : "0." + "0".repeat(decimals);
    }
  }
}
