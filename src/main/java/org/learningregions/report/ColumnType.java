package org.learningregions.report;

/** The cell type of an exported column: decides the XLSX cell type and format and the CSV/HTML rendering. */
public enum ColumnType {
  /** Free text (names, codes, flags); neutralised against formula injection in CSV and XLSX. */
  TEXT,
  /** A whole number (counts, years). */
  INTEGER,
  /** A decimal number, shown with the column's number of decimals. */
  DECIMAL
}
