package org.learningregions.report;

import java.util.List;

/**
 * A table of the report, held on the driver: its rows are bounded by regions x years x breakdowns, never by the
 * number of input records. Values are String, Long, Integer, Double, Boolean or null, matching the column types.
 *
 * @param name file and sheet name (csv/&lt;name&gt;.csv, sheet &lt;name&gt; of tables.xlsx); at most 31 characters
 * @param title a human title
 * @param description one or two sentences: what a row is and where it comes from
 */
public record ReportTable(String name, String title, String description, List<ReportColumn> columns,
    List<Object[]> rows) {

  /** Reliability values that qualify an estimate. */
  public static final String SUPPRESSED = "suppressed";
  public static final String LOW = "low";

  public ReportTable {
    if (name.length() > 31) {
      throw new IllegalArgumentException("table name longer than 31 characters (an XLSX sheet limit): " + name);
    }
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  public int columnIndex(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }

  /** "suppressed", "low" or null: the reliability of cell {@code col} of {@code row}. */
  public String reliability(Object[] row, int col) {
    String by = columns.get(col).reliabilityColumn();
    if (by == null) {
      return null;
    }
    Object v = row[columnIndex(by)];
    return v == null ? null : v.toString();
  }
}
