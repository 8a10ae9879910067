package org.learningregions.report;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.learningregions.LearningRegionsException;

/**
 * Writes one {@link ReportTable} as CSV, with the conventions of {@link CsvExport}: UTF-8 without a byte order mark,
 * a header line of column names, RFC 4180 quoting (a field holding a comma, quote, CR or LF is quoted, quotes
 * doubled) and LF line ends. Text that a spreadsheet would run as a formula gets a leading apostrophe
 * ({@link CellText#forCsv}); numbers are written at full precision in plain notation; null is an empty field, and so
 * is a suppressed estimate (its reliability column says "suppressed").
 *
 * <p>The file is written to a temporary file in the same directory and moved into place, so a reader never sees a
 * half-written table and a failed run leaves the previous file intact.
 */
public final class TableCsv {
  private TableCsv() {}

  /**
   * Writes {@code table} to {@code file}, replacing it.
   *
   * @return the number of data rows written (the header line not counted)
   * @throws LearningRegionsException when the file cannot be written
   * @throws IllegalArgumentException when a row does not fit the table's columns
   */
  public static long write(ReportTable table, Path file) {
    check(table);
    AtomicFile.write(file, out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      List<ReportColumn> columns = table.columns();
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns.size(); c++) {
        line.append(c == 0 ? "" : ",").append(CsvExport.quote(CellText.forCsv(columns.get(c).name())));
      }
      w.write(line.append('\n').toString());
      for (Object[] row : table.rows()) {
        line.setLength(0);
        for (int c = 0; c < columns.size(); c++) {
          line.append(c == 0 ? "" : ",").append(field(table, row, c));
        }
        w.write(line.append('\n').toString());
      }
      // Flushed, not closed: writeAtomically closes the stream before it moves the file.
      w.flush();
    });
    return table.rows().size();
  }

  private static String field(ReportTable table, Object[] row, int c) {
    // Suppression wins over a value that slipped through: a suppressed estimate is never published.
    if (ReportTable.SUPPRESSED.equals(table.reliability(row, c))) {
      return "";
    }
    Object v = row[c];
    if (v == null) {
      return "";
    }
    ReportColumn column = table.columns().get(c);
    return switch (column.type()) {
      case TEXT -> CsvExport.quote(CellText.forCsv(v.toString()));
      case INTEGER, DECIMAL -> plain(number(table, column, v));
    };
  }

  /**
   * A number at full precision without an exponent ("0.0000001", not "1.0E-7"), which every CSV reader parses as a
   * number; NaN and infinities become an empty field, as Spark's CSV export of a missing value would.
   */
  static String plain(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
        || n instanceof BigInteger) {
      return n.toString();
    }
    if (n instanceof BigDecimal b) {
      return b.toPlainString();
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      return "";
    }
    // Float.toString keeps a float's shortest representation (0.1f, not 0.10000000149011612).
    BigDecimal exact = n instanceof Float f ? new BigDecimal(Float.toString(f)) : BigDecimal.valueOf(d);
    // Strip the ".0" Double.toString adds, and the padding of small numbers ("1.0E-7" would give "0.00000010").
    return exact.stripTrailingZeros().toPlainString();
  }

  /** The value of a numeric column; anything else is a bug in the code that built the table. */
  static Number number(ReportTable table, ReportColumn column, Object v) {
    if (v instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("table " + table.name() + ", column " + column.name() + " is "
        + column.type() + " but holds a " + v.getClass().getSimpleName() + ": " + v);
  }

  /**
   * Checks what {@link ReportTable} itself does not: every row has one value per column and every reliability column
   * named by an estimate exists. Shared with {@link XlsxExport}, so both formats fail the same way before writing.
   */
  static void check(ReportTable table) {
    for (ReportColumn column : table.columns()) {
      String by = column.reliabilityColumn();
      if (by != null && table.columnIndex(by) < 0) {
        throw new IllegalArgumentException("table " + table.name() + ", column " + column.name()
            + " is qualified by a column that does not exist: " + by);
      }
    }
    int width = table.columns().size();
    for (int r = 0; r < table.rows().size(); r++) {
      if (table.rows().get(r).length != width) {
        throw new IllegalArgumentException("table " + table.name() + ", row " + (r + 1) + " has "
            + table.rows().get(r).length + " values for " + width + " columns");
      }
    }
  }
}
