package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Splits numbered CSV lines into named string columns by the file's header, keeping the raw line for bronze and
 * quarantine. Columns named in {@code required} must exist in the header (a file-level error otherwise); others
 * become null when absent.
 */
public final class CsvRecords {
  /**
   * Spark's CSV options for RFC 4180 fields: a quote inside a quoted field is doubled ("a ""b"" c"), as Eurostat,
   * the OECD and spreadsheet programs write it; Spark's default escape character is a backslash.
   */
  static final Map<String, String> RFC4180 = Map.of("mode", "PERMISSIVE", "escape", "\"");

  private static final String WRONG_FIELDS = "wrong_field_count:fields";

  private CsvRecords() {}

  /**
   * Fails with a one-line error naming the file when a required column is absent from its header or a column name
   * occurs twice in it (which of the two values is the column's is undecidable).
   */
  public static void checkRequired(InputFile file, List<String> required, UnaryOperator<String> sourceName) {
    requireColumns(file, names(file), required, sourceName);
  }

  /** The header's column names, byte-order mark and blanks stripped; a name given twice is a file-level error. */
  private static List<String> names(InputFile file) {
    List<String> names = CsvHeader.split(file.header()).stream().map(h -> h.replace("\uFEFF", "").trim()).toList();
    requireDistinct(file, names);
    return names;
  }

  /** A one-line {@link FileProblem#DUPLICATE_COLUMN} error for the first non-empty name that occurs twice. */
  static void requireDistinct(InputFile file, List<String> names) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String name : names) {
      if (!name.isEmpty() && !seen.add(name)) {
        throw new InputFileException(file.path(), FileProblem.DUPLICATE_COLUMN, name);
      }
    }
  }

  /**
   * The one-line file-level error for a required column (named in silver, found under its mapped name) that the
   * file's columns lack; shared by CSV and Parquet inputs.
   */
  static void requireColumns(InputFile file, List<String> present, List<String> required,
      UnaryOperator<String> sourceName) {
    for (String c : required) {
      if (!present.contains(sourceName.apply(c))) {
        throw new InputFileException(file.path(), FileProblem.MISSING_COLUMN, sourceName.apply(c)
            + (sourceName.apply(c).equals(c) ? "" : " (mapped from " + c + ")"));
      }
    }
  }

  public static Dataset<Row> read(Dataset<Row> lines, InputFile file, List<String> columns,
      UnaryOperator<String> sourceName, List<String> required) {
    List<String> header = CsvHeader.split(file.header());
    List<String> headerLower = names(file);
    requireColumns(file, headerLower, required, sourceName);
    List<Column> out = new ArrayList<>(List.of(col("source_file"), col("source_sha256"), col("source_dataset"),
        col("line_no"), col("raw"), col("structural_error")));
    for (String c : columns) {
      int i = headerLower.indexOf(sourceName.apply(c));
      if (i < 0) {
        out.add(lit(null).cast("string").as(c));
      } else {
        out.add(col("f.c" + i).as(c));
      }
    }
    return dataLines(lines).transform(l -> withFields(l, header.size()))
        .select(out.toArray(new Column[0]));
  }

  /**
   * Some {@code columns} of the records {@link #read} gives (with source_file), for a pass that needs a few fields of
   * every line: a line without quotes is split only as far as the last field wanted, not into all its fields. For a
   * line with the header's number of fields the values are read's; a line with another number (which read
   * quarantines) may give others.
   */
  public static Dataset<Row> readColumns(Dataset<Row> lines, InputFile file, List<String> columns,
      UnaryOperator<String> sourceName) {
    List<String> headerLower = names(file);
    List<Integer> indexes = columns.stream().map(c -> headerLower.indexOf(sourceName.apply(c))).toList();
    int last = indexes.stream().mapToInt(Integer::intValue).max().orElse(-1);
    List<Column> out = new ArrayList<>(List.of(col("source_file")));
    for (int k = 0; k < columns.size(); k++) {
      int i = indexes.get(k);
      out.add(i < 0 ? lit(null).cast("string").as(columns.get(k))
          : when(col("__quoted").isNull(), field("__prefix", i)).otherwise(col("__quoted.c" + i)).as(columns.get(k)));
    }
    // Split with a limit: the fields up to the last one wanted, and the rest of the line as one piece. (Spark's
    // substring_index, which cuts without splitting, compares bytes at every position: three times slower here.)
    return dataLines(lines)
        .withColumn("__quoted", when(hasQuote(), parsed(headerLower.size())))
        .withColumn("__prefix", when(not(hasQuote()), split(col("raw"), ",", last + 2)))
        .select(out.toArray(new Column[0]));
  }

  /** The lines that are records: the header and blank lines are not. */
  static Dataset<Row> dataLines(Dataset<Row> lines) {
    return lines.filter(col("line_no").gt(1).and(trim(col("raw")).notEqual("")));
  }

  /**
   * Adds {@code f}, the line's fields as a struct of strings {@code c0..c(n-1)} (an empty field null, missing fields
   * null), as Spark's CSV parser reads them with {@link #RFC4180}, and {@code structural_error}, why the line
   * cannot be one record of {@code n} fields (or null). A line without a quote character is split at its commas
   * instead, which gives the same fields: the parser's work (a fifth of a large microdata file's ingest, 2026-12-04)
   * and the regular expression that counts fields outside quotes are needed only where quotes can hide a comma.
   */
  static Dataset<Row> withFields(Dataset<Row> lines, int n) {
    Column[] split = new Column[n];
    for (int i = 0; i < n; i++) {
      split[i] = field("__split", i).as("c" + i);
    }
    // The split is its own column so that it is computed once per line, not once per field.
    return lines.withColumn("__split", when(not(hasQuote()), split(col("raw"), ",", -1)))
        .withColumn("f", when(col("__split").isNull(), parsed(n)).otherwise(struct(split)))
        .withColumn("structural_error", when(col("__split").isNull(), quotedStructuralError(n))
            .when(size(col("__split")).notEqual(n), lit(WRONG_FIELDS)))
        .drop("__split");
  }

  private static Column hasQuote() {
    return col("raw").contains("\"");
  }

  /** The line's {@code n} fields as Spark's CSV parser reads them: {@code c0..c(n-1)}, strings, an empty one null. */
  private static Column parsed(int n) {
    return from_csv(col("raw"), lit(StructType.fromDDL(CsvHeader.stringSchema(n)).toDDL()), RFC4180);
  }

  /** Field {@code i} (0-based) of a line split into the array column {@code split}: an empty field is null. */
  private static Column field(String split, int i) {
    return nullif(try_element_at(col(split), lit(i + 1)), lit(""));
  }

  /**
   * Why a CSV line with quotes cannot be one record, or null: an odd number of quote characters (a quoted field
   * broken across lines: ingest reads line by line, so both halves are quarantined rather than the second read as a
   * record), or a field count other than the header's (quoted commas do not count: quoted sections are removed
   * first).
   */
  private static Column quotedStructuralError(int expectedFields) {
    Column quotes = length(col("raw")).minus(length(replace(col("raw"), lit("\""), lit(""))));
    Column fieldCount = size(split(regexp_replace(col("raw"), "\"([^\"]|\"\")*\"", "x"), ","));
    return when(quotes.mod(2).equalTo(1), lit("wrong_field_count:unbalanced_quotes"))
        .when(fieldCount.notEqual(expectedFields), lit(WRONG_FIELDS));
  }
}
