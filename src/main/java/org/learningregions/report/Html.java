package org.learningregions.report;

/**
 * Making text that may come from inputs (region names, labels, registry entries) safe for the report's XHTML and SVG:
 * escaping of markup, and cleaning of the control characters XML refuses.
 */
public final class Html {
  private Html() {}

  public static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Control characters as spaces (tab and newline included): XML 1.0 forbids most of them (and so the PDF renderer
   * refuses them), and in a table cell a line break in a name is noise. Applied to every value the template prints
   * and to every SVG element the report draws.
   */
  public static String clean(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean bad = ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == 0xfffe || ch == 0xffff;
      if (bad && b == null) {
        b = new StringBuilder(s.substring(0, i));
      }
      if (b != null) {
        b.append(bad ? ' ' : ch);
      }
    }
    return b == null ? s : b.toString();
  }
}
