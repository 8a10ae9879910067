package org.learningregions.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The codebook of the exported tables: one row per column of every table, with its type, unit, meaning, source and
 * the reliability column that qualifies it. The same content is exported three ways: {@code csv/codebook.csv} and
 * the last sheet of {@code tables.xlsx} (both from {@link #of}) and {@code codebook.md} (from {@link #markdown}).
 */
public final class Codebook {
  /** Table, file and sheet name of the codebook. */
  public static final String NAME = "codebook";

  /** How a suppressed estimate looks in each format; shown in codebook.md and beside the codebook sheet. */
  static final String SUPPRESSED_NOTE = "suppressed: too few respondents to publish the estimate. It has no value: "
      + "the CSV field is empty, tables.xlsx shows \"suppressed\" in grey italics, and the column named under "
      + "qualified_by says \"suppressed\".";
  /** How an estimate of low reliability looks in each format. */
  static final String LOW_NOTE = "low: the estimate is published but rests on few respondents; read it with care. "
      + "tables.xlsx shows it on a light-yellow fill, and the column named under qualified_by says \"low\".";

  private static final String SOURCE = "report stage";
  private static final List<ReportColumn> COLUMNS = List.of(
      ReportColumn.text("table", "the exported table: csv/<table>.csv and sheet <table> of tables.xlsx", SOURCE),
      ReportColumn.text("column", "column name, the same in every format", SOURCE),
      ReportColumn.text("type", "text, integer or decimal (decimals are exported at full precision in CSV)", SOURCE),
      ReportColumn.text("unit", "unit of measurement; empty when none", SOURCE),
      ReportColumn.text("meaning", "what the column holds, in plain words", SOURCE),
      ReportColumn.text("source", "the table or computation the column comes from", SOURCE),
      ReportColumn.text("qualified_by", "for an estimate: the column of the same row saying \"suppressed\" or "
          + "\"low\" about it; empty otherwise. " + SUPPRESSED_NOTE + " " + LOW_NOTE, SOURCE));

  private Codebook() {}

  /**
   * The codebook of {@code tables} as a table named {@value #NAME}: columns table, column, type, unit, meaning,
   * source, qualified_by, and one row per column of every table, in table and column order.
   */
  public static ReportTable of(List<ReportTable> tables) {
    List<Object[]> rows = new ArrayList<>();
    for (ReportTable table : tables) {
      for (ReportColumn c : table.columns()) {
        rows.add(new Object[] {table.name(), c.name(), typeName(c.type()), c.unit(), c.meaning(), c.source(),
            c.reliabilityColumn()});
      }
    }
    return new ReportTable(NAME, "Codebook", "One row per column of every exported table: its type, unit, meaning, "
        + "source and the reliability column that qualifies it.", COLUMNS, rows);
  }

  /**
   * The codebook of {@code tables} as Markdown (codebook.md): a note on reliability, then one section per table with
   * its title, description and a table of its columns. Text is escaped so that a {@code |} or a line break in a
   * meaning cannot break the Markdown table.
   */
  public static String markdown(List<ReportTable> tables) {
    StringBuilder md = new StringBuilder();
    md.append("# Codebook\n\n")
        .append("Every table is exported as `csv/<table>.csv` and as sheet `<table>` of `tables.xlsx`; ")
        .append("`csv/codebook.csv` and the sheet `codebook` list the same columns as this file.\n\n")
        .append("An estimate column names its reliability column under *qualified by*:\n\n")
        .append("- ").append(escape(SUPPRESSED_NOTE)).append('\n')
        .append("- ").append(escape(LOW_NOTE)).append('\n');
    for (ReportTable table : tables) {
      md.append("\n## ").append(escape(table.title())).append(" (").append(code(table.name())).append(")\n\n");
      if (table.description() != null && !table.description().isBlank()) {
        md.append(escape(table.description())).append("\n\n");
      }
      md.append("| column | type | unit | meaning | source | qualified by |\n")
          .append("|---|---|---|---|---|---|\n");
      for (ReportColumn c : table.columns()) {
        md.append("| ").append(code(c.name()))
            .append(" | ").append(typeName(c.type()))
            .append(" | ").append(escape(c.unit()))
            .append(" | ").append(escape(c.meaning()))
            .append(" | ").append(escape(c.source()))
            .append(" | ").append(c.reliabilityColumn() == null ? "" : code(c.reliabilityColumn()))
            .append(" |\n");
      }
    }
    return md.toString();
  }

  static String typeName(ColumnType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Text safe inside a Markdown table cell: {@code |} would end the cell and a line break the row; {@code <} would
   * start raw HTML in most renderers.
   */
  static String escape(String s) {
    return s == null ? "" : oneLine(s).replace("|", "\\|").replace("<", "&lt;");
  }

  /** A name as inline code; GFM honours {@code \|} even inside a code span of a table cell. */
  private static String code(String s) {
    if (s == null || s.contains("`")) {
      return escape(s);
    }
    // Inside a code span an entity would show literally, so only the cell and row breaks are escaped.
    return "`" + oneLine(s).replace("|", "\\|") + "`";
  }

  private static String oneLine(String s) {
    return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }
}
