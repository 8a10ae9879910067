package org.learningregions.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a statement that only reads from one that writes, drops or maintains tables, before Spark sees it (Spark runs
 * DDL and DML as soon as {@code spark.sql} is called). A statement reads when its first keyword starts a query or a
 * listing (SELECT, WITH, FROM, VALUES, TABLE, SHOW, DESCRIBE, EXPLAIN) and no keyword that changes data or metadata
 * occurs in it outside quotes, backticks and comments ({@code WITH ... INSERT INTO} is a write).
 */
final class SqlStatements {
  static final Set<String> READ_STARTS = Set.of("SELECT", "WITH", "FROM", "VALUES", "TABLE", "SHOW", "DESCRIBE",
      "DESC", "EXPLAIN");
  static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "CREATE", "ALTER",
      "TRUNCATE", "VACUUM", "OPTIMIZE", "REPLACE", "RESTORE", "OVERWRITE", "CACHE", "UNCACHE", "REFRESH", "MSCK",
      "REPAIR", "LOAD", "SET", "RESET", "USE", "GRANT", "REVOKE", "COPY", "CONVERT", "CLONE", "ANALYZE", "REORG",
      "CALL", "EXECUTE", "DECLARE", "BEGIN");

  private SqlStatements() {}

  /** The keyword that makes {@code sql} a write, or null when it only reads. */
  static String writeKeyword(String sql) {
    List<String> words = words(sql);
    if (words.isEmpty()) {
      return null;
    }
    if (!READ_STARTS.contains(words.get(0))) {
      return words.get(0);
    }
    for (String w : words) {
      if (WRITES.contains(w)) {
        return w;
      }
    }
    return null;
  }

  /** Bare words (upper case) outside string literals, quoted identifiers and comments. */
  static List<String> words(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        flush(word, out);
        i = skipQuoted(sql, i, c);
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        flush(word, out);
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        flush(word, out);
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        word.append(c);
      } else {
        flush(word, out);
      }
    }
    flush(word, out);
    return out;
  }

  private static int skipQuoted(String sql, int start, char quote) {
    for (int i = start + 1; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\\' && quote != '`') {
        i++;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i++;
        } else {
          return i;
        }
      }
    }
    return sql.length();
  }

  private static void flush(StringBuilder word, List<String> out) {
    if (word.length() > 0) {
      out.add(word.toString().toUpperCase(Locale.ROOT));
      word.setLength(0);
    }
  }
}
