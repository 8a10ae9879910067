package org.learningregions.report;

/**
 * Neutralises text cells against formula injection: spreadsheet programs evaluate a cell that starts with =, +, -,
 * @ (and tab or carriage return, which some of them strip first) as a formula, so such text gets a leading
 * apostrophe in CSV and a quote-prefixed text style in XLSX (OWASP "CSV injection").
 */
public final class CellText {
  private CellText() {}

  public static boolean looksLikeFormula(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    char c = s.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  }

  /** The text as a CSV cell will hold it: a leading apostrophe when it would start a formula. */
  public static String forCsv(String s) {
    return looksLikeFormula(s) ? "'" + s : s;
  }
}
