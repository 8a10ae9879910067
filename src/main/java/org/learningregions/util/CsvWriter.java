package org.learningregions.util;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The project's one CSV dialect: UTF-8, RFC 4180 quoting (a field holding a comma, quote, CR or LF is quoted, quotes
 * doubled), LF line ends, numbers at full precision in plain notation ({@link #plain}), null as an empty field.
 * With formula neutralisation on (every export a spreadsheet may open), text that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe (OWASP "CSV injection"); the {@code sql}
 * command writes text verbatim.
 */
public final class CsvWriter {
  private final Writer out;
  private final boolean neutraliseFormulas;
  private final StringBuilder line = new StringBuilder();

  public CsvWriter(Writer out, boolean neutraliseFormulas) {
    this.out = out;
    this.neutraliseFormulas = neutraliseFormulas;
  }

  /** Writes one record; each value is a Number, Boolean, text (anything else: its toString) or null. */
  public void row(List<?> values) throws IOException {
    line.setLength(0);
    for (int i = 0; i < values.size(); i++) {
      line.append(i == 0 ? "" : ",").append(field(values.get(i)));
    }
    out.write(line.append('\n').toString());
  }

  /** Writes one record of already formatted fields (each quoted as needed, never neutralised twice). */
  public void rawRow(List<String> fields) throws IOException {
    out.write(String.join(",", fields) + "\n");
  }

  public void flush() throws IOException {
    out.flush();
  }

  /** One value as a CSV field. */
  public String field(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Number n) {
      return plain(n);
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    String s = v.toString();
    return quote(neutraliseFormulas ? neutralise(s) : s);
  }

  /** A text with a leading apostrophe when a spreadsheet would evaluate it as a formula. */
  public static String neutralise(String s) {
    return looksLikeFormula(s) ? "'" + s : s;
  }

  /** True when a spreadsheet program would evaluate the text as a formula. */
  public static boolean looksLikeFormula(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    char c = s.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  }

  /** RFC 4180 quoting where needed. */
  public static String quote(String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  /**
   * A number at full precision without an exponent ("0.0000001", not "1.0E-7"), which every CSV reader parses as a
   * number; NaN and infinities become an empty field, as a missing value would.
   */
  public static String plain(Number n) {
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
}
