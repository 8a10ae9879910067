package org.learningregions.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.posexplode_outer;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.validate.Observations;

/**
 * Eurostat bulk TSV in both generations: {@code freq,unit,geo\TIME_PERIOD} (2023+, years ascending) and
 * {@code unit,geo\time} (older, years descending); any set of dimensions, year labels and cells with trailing
 * blanks, cells {@code 11.6 b}, {@code 5.0 bu}, {@code :}, {@code : c}. All parsing is column expressions over the
 * numbered lines, so it scales with the cluster.
 */
public final class EurostatTsvReader {
  /**
   * Characters that Java's regular expressions read apart from a plain space inside a cell: whitespace other than a
   * space ({@code \s}), and line separators ({@code .} stops at them, {@code $} matches before a last one).
   */
  private static final List<String> UNUSUAL_SPACE = List.of("\u000B", "\f", "\u0085", "\u2028", "\u2029");

  private EurostatTsvReader() {}

  /** The dimension names and year labels of a header line. */
  record Header(List<String> dimensions, List<String> years) {
    /**
     * Whether the year labels are integers written plainly (distinct labels, so distinct years): then a line's
     * cells have distinct keys. A label such as {@code 02010} could name the year of another column.
     */
    boolean plainYears() {
      return years.stream().allMatch(y -> y.matches("[1-9][0-9]{0,8}"));
    }
  }

  static Header parseHeader(InputFile file) {
    String[] cells = file.header().split("\t", -1);
    String first = cells[0].trim();
    int backslash = first.indexOf('\\');
    if (backslash < 0 || cells.length < 2) {
      throw new InputFileException(file.path(), FileProblem.UNKNOWN_LAYOUT, "(no dims\\time cell)");
    }
    List<String> dims = new ArrayList<>();
    for (String d : first.substring(0, backslash).split(",")) {
      dims.add(d.trim().toLowerCase(Locale.ROOT));
    }
    if (!dims.contains("geo")) {
      throw new InputFileException(file.path(), FileProblem.MISSING_COLUMN, "geo");
    }
    List<String> years = new ArrayList<>();
    for (int i = 1; i < cells.length; i++) {
      String y = cells[i].trim();
      if (y.isEmpty()) {
        throw new InputFileException(file.path(), FileProblem.BAD_HEADER, "empty time label in column " + (i + 1));
      }
      years.add(y);
    }
    List<String> all = new ArrayList<>(dims);
    all.addAll(years);
    CsvRecords.requireDistinct(file, all);
    return new Header(List.copyOf(dims), List.copyOf(years));
  }

  /** Data lines with their structural error, dimension map, line-level dimension columns, geo and yearly cells. */
  private static Dataset<Row> dataLines(Dataset<Row> lines, Header h) {
    int nDims = h.dimensions().size();
    int nYears = h.years().size();
    Column cells = split(col("raw"), "\t");
    // Each code trimmed: blanks around a code (" AT11") are spreadsheet padding, never part of it (as for CSV).
    // The first cell and the number of cells without splitting the line into strings: the codes pass needs no more.
    Column keyParts = org.apache.spark.sql.functions.transform(split(trim(substring_index(col("raw"), "\t", 1)),
        ","), part -> trim(part));
    // Bytes, not characters: a tab is one byte, and a string's byte length needs no scan.
    Column tabs = octet_length(col("raw")).minus(octet_length(replace(col("raw"), lit("\t"), lit(""))));
    Column dimNames = array(h.dimensions().stream().map(d -> lit(d)).toArray(Column[]::new));
    Column structural = when(size(keyParts).notEqual(nDims), lit("wrong_field_count:dimensions"))
        .when(tabs.notEqual(nYears), lit("wrong_field_count:cells"));
    return lines.filter(col("line_no").gt(1).and(trim(col("raw")).notEqual("")))
        .withColumn("structural_error", structural)
        .withColumn("key_parts", keyParts)
        .withColumn("dims", when(col("structural_error").isNull(), map_from_arrays(dimNames, col("key_parts"))))
        // Line-level columns before the cells are exploded: computed once per line, not once per yearly cell.
        .select(withDimensions(col("*")))
        .withColumn("geo", element_at(col("dims"), "geo"))
        .withColumn("cells", when(col("structural_error").isNull(), org.apache.spark.sql.functions.slice(cells, 2,
            nYears)));
  }

  private static Column[] withDimensions(Column all) {
    Column[] dims = Observations.dimensionColumns("dims");
    Column[] out = new Column[dims.length + 1];
    out[0] = all;
    System.arraycopy(dims, 0, out, 1, dims.length);
    return out;
  }

  /**
   * The region codes of one TSV file's lines (source_file, source_dataset, geo, line_key, observations; null geo for
   * a structurally broken line), one row per data line: the codes {@link #read} gives its cells and how many cells
   * it gives (a broken line is one observation, quarantined), without exploding them. The line key is a hash of the
   * line's dimensions, which with the year make its cells' keys (see
   * {@link org.learningregions.validate.ObservationValidator#codesByFile}); null when the year labels do not show
   * distinct years.
   */
  public static Dataset<Row> codes(Dataset<Row> lines, InputFile file) {
    Header h = parseHeader(file);
    return dataLines(lines, h).select(col("source_file"), col("source_dataset"), col("geo"),
        (h.plainYears() ? xxhash64(col("key_parts")) : lit(null).cast("long")).as("line_key"),
        when(col("structural_error").isNull(), lit((long) h.years().size())).otherwise(1L).as("observations"));
  }

  /**
   * Whether a trimmed cell holds a character that Java's {@code \s} or {@code .} treat apart from a plain space
   * (a line holds no tab, carriage return or line feed).
   */
  private static Column unusualSpace(Column cell) {
    Column any = lit(false);
    for (String c : UNUSUAL_SPACE) {
      any = any.or(cell.contains(c));
    }
    return any;
  }

  /** Observations (see {@link org.learningregions.validate.Observations}) of one TSV file, header line excluded. */
  public static Dataset<Row> read(Dataset<Row> lines, InputFile file) {
    Header h = parseHeader(file);
    Dataset<Row> rows = dataLines(lines, h);
    Column yearLabels = array(h.years().stream().map(y -> lit(y)).toArray(Column[]::new));
    // posexplode_outer keeps structurally broken lines (cells null) as one row each, for quarantine.
    Dataset<Row> exploded = rows.select(col("*"), posexplode_outer(col("cells")).as(new String[] {"pos", "cell"}));
    Column cell = trim(col("cell"));
    // A cell is cut at its first space without a regular expression (the regex engine was about 5% of the executor
    // samples of a 10-million-cell file's silver pass, 2026-12-04); the expressions decide only for a cell holding
    // other whitespace or a line separator, which the two can read differently.
    Column unusual = unusualSpace(cell);
    Column firstWord = substring_index(cell, " ", 1);
    Column value = when(unusual, regexp_extract(cell, "^([^\\s]*)", 1)).otherwise(firstWord);
    Column flags = when(unusual, trim(regexp_extract(cell, "^[^\\s]*\\s*(.*)$", 1)))
        .otherwise(trim(cell.substr(length(firstWord).plus(2), lit(Integer.MAX_VALUE))));
    return exploded.select(
        col("source_file"), col("source_sha256"), col("source_dataset"), lit(SourceFormat.EUROSTAT_TSV.name())
            .as("source_format"),
        lit("ESTAT").as("source_agency"), col("line_no"),
        when(col("pos").isNotNull(), element_at(yearLabels, col("pos").plus(1))).as("column_ref"),
        col("dims"), col("unit"), col("sex"), col("age"), col("other_dims"), col("geo"),
        when(col("pos").isNotNull(), element_at(yearLabels, col("pos").plus(1))).as("year_raw"),
        value.as("value_raw"), flags.as("flag"), flags.as("status_raw"),
        lit(null).cast("string").as("conf_raw"), lit("eurostat").as("flag_scheme"),
        col("structural_error"));
  }
}
