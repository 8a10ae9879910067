package org.learningregions.validate;

import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Column;

/**
 * The long, untyped form every statistical source (Eurostat TSV, SDMX-CSV) is read into before validation: one row
 * per observation with its provenance (file, checksum, line: the raw line stays in the lines it was read from, not
 * repeated on each of a wide line's cells), its dimensions as a map, and its value and flags as written.
 * Columns: source_file, source_sha256, source_dataset, source_format, source_agency (ESTAT, OECD), line_no,
 * column_ref, dims (map of lower-case dimension name to code), geo, year_raw, value_raw, flag (verbatim),
 * status_raw and conf_raw (the flag's two parts as written), flag_scheme (eurostat, sdmx: see FlagCodes),
 * structural_error.
 */
public final class Observations {
  private Observations() {}

  /** The dimensions other than unit, sex, age and geo, as a stable {@code name=code,...} string. */
  public static Column otherDims(String dimsColumn) {
    return expr("concat_ws(',', transform(filter(array_sort(map_keys(" + dimsColumn + ")), "
        + "k -> k NOT IN ('unit', 'sex', 'age', 'geo')), k -> concat(k, '=', " + dimsColumn + "[k])))");
  }
}
