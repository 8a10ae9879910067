package org.learningregions.report;

/**
 * One column of an exported table, as the codebook lists it.
 *
 * @param name column name in every format
 * @param type cell type
 * @param decimals decimals shown for {@link ColumnType#DECIMAL} (values are exported at full precision in CSV)
 * @param unit unit of measurement ("" when none)
 * @param meaning what the column holds, in plain words
 * @param source the table or computation it comes from
 * @param reliabilityColumn for an estimate: the column of the same row saying "suppressed" or "low" about it, else
 *     null. A suppressed estimate is null in every format and shown as "suppressed" where a reader looks at it.
 */
public record ReportColumn(String name, ColumnType type, int decimals, String unit, String meaning, String source,
    String reliabilityColumn) {

  public static ReportColumn text(String name, String meaning, String source) {
    return new ReportColumn(name, ColumnType.TEXT, 0, "", meaning, source, null);
  }

  public static ReportColumn integer(String name, String unit, String meaning, String source) {
    return new ReportColumn(name, ColumnType.INTEGER, 0, unit, meaning, source, null);
  }

  public static ReportColumn decimal(String name, int decimals, String unit, String meaning, String source) {
    return new ReportColumn(name, ColumnType.DECIMAL, decimals, unit, meaning, source, null);
  }

  /** This column, qualified by the reliability column {@code column} of the same row. */
  public ReportColumn qualifiedBy(String column) {
    return new ReportColumn(name, type, decimals, unit, meaning, source, column);
  }
}
