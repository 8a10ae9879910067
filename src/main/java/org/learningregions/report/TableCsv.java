package org.learningregions.report;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.AtomicFiles;
import org.learningregions.util.CsvWriter;

/**
 * Writes one {@link ReportTable} as CSV in the project's dialect ({@link CsvWriter}: UTF-8 without a byte order
 * mark, a header line of column names, RFC 4180 quoting, LF line ends, formulas neutralised, numbers at full
 * precision in plain notation); null is an empty field, and so is a suppressed estimate (its reliability column says
 * "suppressed").
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
    AtomicFiles.write(file, out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      CsvWriter csv = new CsvWriter(w, true);
      List<ReportColumn> columns = table.columns();
      csv.row(columns.stream().map(ReportColumn::name).toList());
      List<Object> values = new java.util.ArrayList<>(columns.size());
      for (Object[] row : table.rows()) {
        values.clear();
        for (int c = 0; c < columns.size(); c++) {
          values.add(value(table, row, c));
        }
        csv.row(values);
      }
      // Flushed, not closed: AtomicFiles closes the stream before it moves the file.
      csv.flush();
    });
    return table.rows().size();
  }

  /** The value a cell holds: null for a suppressed estimate (suppression wins over a value that slipped through). */
  private static Object value(ReportTable table, Object[] row, int c) {
    if (ReportTable.SUPPRESSED.equals(table.reliability(row, c))) {
      return null;
    }
    Object v = row[c];
    if (v == null) {
      return null;
    }
    ReportColumn column = table.columns().get(c);
    return switch (column.type()) {
      case TEXT -> v.toString();
      case INTEGER, DECIMAL -> number(table, column, v);
    };
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
