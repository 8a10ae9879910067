package org.learningregions.validate;

import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Column;

/**
 * Parses observation flags into the two code lists Eurostat has used since 27 January 2025, for files of both
 * generations. The verbatim flag stays in silver's {@code flag}; these give {@code obs_status} and
 * {@code confidentiality}.
 *
 * <ul>
 *   <li>Eurostat ({@code flag_scheme = 'eurostat'}: bulk TSV, Eurostat SDMX-CSV): the flag is a set of letters.
 *       Observation status keeps b, d, e, f, i, m, n, p, u in their order of appearance; the pre-2025 letters are
 *       translated (s became i, z became m); lower-case c (pre-2025 confidential) becomes confidentiality C;
 *       upper-case C, N, P (post-2025) are confidentiality. Other pre-2025 letters (r, revised) stay only in the
 *       verbatim flag.</li>
 *   <li>SDMX ({@code flag_scheme = 'sdmx'}: OECD Data Explorer OBS_STATUS, OECD.Stat Flag Codes): the SDMX
 *       cross-domain CL_OBS_STATUS codes, lower-cased (E becomes e, P becomes p), with A (normal value) dropped.</li>
 *   <li>Confidentiality from a CONF_STATUS column when present (F, free for publication, is no restriction).</li>
 * </ul>
 * Inputs are the columns {@code status_raw}, {@code conf_raw} and {@code flag_scheme}.
 */
public final class FlagCodes {
  private FlagCodes() {}

  /** Observation status letters, e.g. "bu"; empty when the value carries none. */
  public static Column status() {
    // Most cells carry no flag: the empty case skips the split-and-filter, which Spark evaluates without code
    // generation, for every unflagged cell of a large file.
    return expr("CASE WHEN coalesce(status_raw, '') = '' THEN '' WHEN flag_scheme = 'sdmx' THEN "
        + "array_join(array_distinct(filter(split(lower(coalesce(status_raw, '')), ''), c -> c RLIKE '^[b-z]$')), '') "
        + "ELSE array_join(array_distinct(filter(split(translate(coalesce(status_raw, ''), 'sz', 'im'), ''), "
        + "c -> c RLIKE '^[bdefimnpu]$')), '') END");
  }

  /** Confidentiality code (C, N, P, or a CONF_STATUS code other than F), or null when the value is public. */
  public static Column confidentiality() {
    return expr("CASE WHEN nullif(trim(conf_raw), '') IS NOT NULL THEN nullif(upper(trim(conf_raw)), 'F') "
        + "WHEN flag_scheme = 'eurostat' AND status_raw RLIKE '[CNP]' THEN regexp_extract(status_raw, '([CNP])', 1) "
        + "WHEN flag_scheme = 'eurostat' AND status_raw LIKE '%c%' THEN 'C' END");
  }
}
