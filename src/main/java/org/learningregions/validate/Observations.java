package org.learningregions.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;

/**
 * The long, untyped form every statistical source (Eurostat TSV, SDMX-CSV) is read into before validation: one row
 * per observation with its provenance (file, checksum, line: the raw line stays in the lines it was read from, not
 * repeated on each of a wide line's cells), its dimensions as a map, and its value and flags as written.
 * Columns: source_file, source_sha256, source_dataset, source_format, source_agency (ESTAT, OECD), line_no,
 * column_ref, dims (map of lower-case dimension name to code), unit, sex, age and other_dims (from dims, see
 * {@link #dimensionColumns}), geo, year_raw, value_raw, flag (verbatim), status_raw and conf_raw (the flag's two parts
 * as written), flag_scheme (eurostat, sdmx: see FlagCodes), structural_error.
 */
public final class Observations {
  private Observations() {}

  /**
   * unit, sex, age ("" when the file has no such dimension) and other_dims of the map column {@code dims}, in that
   * order. A reader computes them where they are cheapest: a bulk TSV line carries one dimension map for up to
   * dozens of yearly cells, so they are computed once per line, before the cells are exploded (sorting and joining
   * the map's keys per cell was a measurable part of ingesting a large TSV).
   */
  public static Column[] dimensionColumns(String dimsColumn) {
    return new Column[] {
        coalesce(expr(dimsColumn + "['unit']"), lit("")).as("unit"),
        coalesce(expr(dimsColumn + "['sex']"), lit("")).as("sex"),
        coalesce(expr(dimsColumn + "['age']"), lit("")).as("age"),
        otherDims(dimsColumn).as("other_dims")};
  }

  /** The dimensions other than unit, sex, age and geo, as a stable {@code name=code,...} string. */
  public static Column otherDims(String dimsColumn) {
    return expr("concat_ws(',', transform(filter(array_sort(map_keys(" + dimsColumn + ")), "
        + "k -> k NOT IN ('unit', 'sex', 'age', 'geo')), k -> concat(k, '=', " + dimsColumn + "[k])))");
  }
}
