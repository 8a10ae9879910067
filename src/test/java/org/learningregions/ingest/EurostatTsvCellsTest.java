package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.lang3.StringUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.learningregions.SparkTestSession;

/**
 * A bulk TSV cell's value and flags against Java's regular expressions, the reading the TSV format has always had
 * ({@code ^([^\s]*)} for the value, {@code ^[^\s]*\s*(.*)$} trimmed for the flags, after trimming the cell's
 * spaces): the reader splits most cells at their first space without the regex engine, and must read every cell as
 * the expressions do, including cells with other whitespace or line separators in them.
 */
class EurostatTsvCellsTest {
  private static final Pattern VALUE = Pattern.compile("^([^\\s]*)");
  private static final Pattern FLAG = Pattern.compile("^[^\\s]*\\s*(.*)$");
  private static final String YEARS = "\t2019 \t2020 \t2021 \t2022 ";
  private static final List<String> CELLS = List.of("15.1 ", "50.7 p", ": ", ":", "20.6 bu", "12", "", " ", "4  p ",
      ": c", "1 234", "7.0 C", "1.5\u000Bp", "2\u2028x", "3 \fb", "6 b\u0085", "7\u00A0p", "9\u2029", "10 \u000B",
      "\u2028", " 8 pe ", "x y z",
      // Line separators after a value, where "." and "$" decide the flags; a supplementary character (one position in
      // Spark's length and substr, two Java chars); Unicode spaces that Java's \s does not match.
      "1 a\u2029b", "1 \u2029", "1 \u2028", "1 a\u2028", "1 \u0085", "\uD83D\uDE00 p", "1 \uD83D\uDE00 b",
      "2\u3000p", "3 \u1680b");

  @Test
  void cellsSplitAsTheRegularExpressionsSplitThem() {
    List<String> cells = new ArrayList<>(CELLS);
    // And random cells over an alphabet that mixes the characters the two readings could disagree on.
    char[] alphabet = "0123456789.:- -  bpecuCNPz\u000B\f\u0085\u2028\u2029\u00A0".toCharArray();
    Random random = new Random(20261204);
    for (int i = 0; i < 400; i++) {
      StringBuilder cell = new StringBuilder();
      for (int n = random.nextInt(8); n > 0; n--) {
        cell.append(alphabet[random.nextInt(alphabet.length)]);
      }
      cells.add(cell.toString());
    }
    // Four cells per line, so each cell is found again by its line and column.
    List<Row> lines = new ArrayList<>();
    for (int i = 0; i < cells.size(); i += 4) {
      List<String> four = new ArrayList<>(cells.subList(i, Math.min(i + 4, cells.size())));
      while (four.size() < 4) {
        four.add("");
      }
      lines.add(RowFactory.create("t.tsv", "0", "t", "EUROSTAT_TSV", i / 4 + 2L,
          "PC,AT" + (i / 4) + "\t" + String.join("\t", four)));
    }
    InputFile file = new InputFile("/nowhere/t.tsv", "t.tsv", SourceFormat.EUROSTAT_TSV, "t", "0", "0", 0, 0,
        "unit,geo\\TIME_PERIOD" + YEARS, "UTF-8", lines.size() + 1, 0, List.of());
    Dataset<Row> read = EurostatTsvReader.read(
        SparkTestSession.get().createDataFrame(lines, NumberedLines.SCHEMA), file);
    List<Row> rows = read.select("line_no", "column_ref", "value_raw", "flag", "status_raw").collectAsList();
    assertEquals(lines.size() * 4, rows.size());
    for (Row r : rows) {
      int index = (int) (r.getLong(0) - 2) * 4 + Integer.parseInt(r.getString(1)) - 2019;
      String cell = index < cells.size() ? cells.get(index) : "";
      // Spark's trim strips spaces only (a regex "$" would also stop before a final line separator).
      String trimmed = StringUtils.strip(cell, " ");
      String label = "cell " + escaped(cell) + " read as " + escaped(r.getString(2)) + " / " + escaped(r.getString(3));
      assertEquals(group(VALUE, trimmed), r.getString(2), label);
      String flag = StringUtils.strip(group(FLAG, trimmed), " ");
      assertEquals(flag, r.getString(3), label);
      assertEquals(flag, r.getString(4), label);
    }
  }

  private static String escaped(String s) {
    return s == null ? "null" : s.codePoints().mapToObj(c -> c < 0x20 || c > 0x7E ? String.format("\\u%04X", c)
        : Character.toString(c)).collect(java.util.stream.Collectors.joining("", "\"", "\""));
  }

  /** What Spark's regexp_extract gives: the group of the first match, or "" when nothing matches. */
  private static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1) : "";
  }
}
