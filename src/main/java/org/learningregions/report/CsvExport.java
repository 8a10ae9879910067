package org.learningregions.report;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.util.AtomicFiles;
import org.learningregions.util.CsvWriter;

/**
 * Writes a Spark table as CSV in the project's dialect ({@link CsvWriter}, formulas neutralised), atomically. Rows
 * stream to the file through {@code toLocalIterator}, one partition at a time.
 */
public final class CsvExport {
  private CsvExport() {}

  /** Writes {@code table} to {@code file}; returns the number of data rows. */
  public static long write(Dataset<Row> table, Path file) {
    String[] names = table.columns();
    long[] rows = {0};
    AtomicFiles.write(file, out -> {
      BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      CsvWriter csv = new CsvWriter(w, true);
      csv.row(List.of(names));
      Iterator<Row> it = table.toLocalIterator();
      List<Object> values = new ArrayList<>(names.length);
      while (it.hasNext()) {
        Row r = it.next();
        values.clear();
        for (int i = 0; i < names.length; i++) {
          values.add(r.isNullAt(i) ? null : r.get(i));
        }
        csv.row(values);
        rows[0]++;
      }
      csv.flush();
    });
    return rows[0];
  }

  /** Writes rows of plain values (numbers, text) under a header, atomically. */
  public static void writeRows(Path file, List<String> header, List<List<Object>> rows) {
    AtomicFiles.write(file, out -> {
      BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      CsvWriter csv = new CsvWriter(w, true);
      csv.row(header);
      for (List<Object> r : rows) {
        csv.row(r);
      }
      csv.flush();
    });
  }
}
