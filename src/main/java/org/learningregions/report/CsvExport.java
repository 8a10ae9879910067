package org.learningregions.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Writes report tables as RFC 4180 CSV (UTF-8, header). Text cells that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) are prefixed with an apostrophe; numbers are written as numbers.
 * Rows stream to the file through {@code toLocalIterator}, one partition at a time.
 */
public final class CsvExport {
  private CsvExport() {}

  public static long write(Dataset<Row> table, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    StructField[] fields = table.schema().fields();
    long rows = 0;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < fields.length; i++) {
        w.write((i == 0 ? "" : ",") + quote(fields[i].name()));
      }
      w.write("\n");
      Iterator<Row> it = table.toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        for (int i = 0; i < fields.length; i++) {
          w.write((i == 0 ? "" : ",") + cell(r.isNullAt(i) ? null : r.get(i), fields[i].dataType()));
        }
        w.write("\n");
        rows++;
      }
    }
    return rows;
  }

  public static void writeRows(Path file, List<String> header, List<List<Object>> rows) throws IOException {
    Files.createDirectories(file.getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", header.stream().map(CsvExport::quote).toList()) + "\n");
      for (List<Object> r : rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
          Object v = r.get(i);
          sb.append(i == 0 ? "" : ",").append(v instanceof Number ? cell(v, DataTypes.DoubleType) : quote(safeText(v)));
        }
        w.write(sb.append("\n").toString());
      }
    }
  }

  static String cell(Object v, DataType type) {
    if (v == null) {
      return "";
    }
    if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return "";
      }
      return Double.toString(d).replace("E", "e").toLowerCase(Locale.ROOT);
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return quote(safeText(v));
  }

  /** Neutralises spreadsheet formulas in text ({@link CellText}). */
  public static String safeText(Object v) {
    return v == null ? "" : CellText.forCsv(v.toString());
  }

  static String quote(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
