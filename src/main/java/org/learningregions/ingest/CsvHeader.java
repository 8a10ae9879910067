package org.learningregions.ingest;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line (RFC 4180 quoting) into fields; used for headers, which decide the schema. */
final class CsvHeader {
  private CsvHeader() {}

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString().trim());
    return out;
  }

  /** A Spark DDL schema of all-string columns c0..c(n-1) for from_csv. */
  static String stringSchema(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append('c').append(i).append(" STRING");
    }
    return sb.toString();
  }
}
