package org.learningregions.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.learningregions.SamplePipeline;
import org.learningregions.SparkTestSession;

/**
 * docs/CODEBOOK.md against the tables the shared sample pipeline wrote: every table of {@link Tables} that the
 * pipeline wrote has a section, and every column of its Delta schema is named in that section (or in the section of
 * the table it says it shares its columns with). A column added in code without a word in the codebook fails here,
 * as gdp_source was from 2026-12-02 to 2026-12-05. Slow tier, with the other readers of the shared sample.
 */
@Tag("slow")
public class CodebookCoverageTest {
  private static final Pattern TABLE = Pattern.compile("\\b(bronze|silver|quarantine|gold|meta)\\.([a-z_0-9]+|\\*)");
  /** "The columns of gold.analysis_panel", "the same columns as gold.analysis_panel and gold.panel_coverage". */
  private static final Pattern SHARES = Pattern.compile(
      "columns\\s+(?:of|as)\\s+(gold\\.[a-z_0-9]+)(?:\\s+and\\s+(gold\\.[a-z_0-9]+))?");
  /** learning_rate_lag3 is documented as learning_rate_lag1..lagK. */
  private static final Pattern LAG = Pattern.compile("(.+_lag)\\d+");

  @Test
  void everyColumnOfEveryWrittenTableIsInTheCodebook() throws IOException {
    List<String> missing = undocumented(SamplePipeline.get().lakehouse, 20);
    assertEquals(List.of(), missing, "columns the pipeline writes that docs/CODEBOOK.md does not name");
  }

  /**
   * The tables of {@link Tables} in {@code lakehouse} without a codebook section, and their columns the codebook does
   * not name ({@code layer.table.column}); also run on the real study's lakehouse (its TL2 tables and real-data
   * columns).
   *
   * @param atLeast fewer tables than this in the lakehouse fails the test: a check of nothing would pass
   */
  public static List<String> undocumented(Path lakehouse, int atLeast) throws IOException {
    Map<String, String> sections = sections(Files.readString(Path.of("docs/CODEBOOK.md")));
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (TableId table : tables()) {
      Path dir = lakehouse.resolve(table.layer()).resolve(table.name());
      if (!Files.isDirectory(dir.resolve("_delta_log"))) {
        continue;
      }
      String text = sectionOf(table, sections);
      if (text == null) {
        missing.add(table + ": no section");
        continue;
      }
      checked++;
      for (String column : SparkTestSession.get().read().format("delta").load(dir.toString()).columns()) {
        if (!documents(text, column)) {
          missing.add(table + "." + column);
        }
      }
    }
    assertTrue(checked >= atLeast, "only " + checked + " tables of " + lakehouse + " were checked");
    return missing;
  }

  @Test
  void aColumnTheCodebookDoesNotNameIsFound() {
    String text = "| region_code, year | the key |\n| learning_rate_lag1..lagK | lags |\n| `W_<v>` | spatial lag |";
    assertTrue(documents(text, "region_code"));
    assertTrue(documents(text, "learning_rate_lag3"));
    assertTrue(documents(text, "W_learning_rate_lag1_coverage"));
    assertTrue(!documents(text, "gdp_source"), "a column named nowhere");
    assertTrue(!documents(text, "region"), "a prefix of a documented name is not its own name");
  }

  /** The section text of each "## " heading, by heading. */
  private static Map<String, String> sections(String markdown) {
    Map<String, String> out = new LinkedHashMap<>();
    String heading = null;
    StringBuilder body = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("## ")) {
        if (heading != null) {
          out.put(heading, body.toString());
        }
        heading = line.substring(3);
        body.setLength(0);
      }
      body.append(line).append('\n');
    }
    if (heading != null) {
      out.put(heading, body.toString());
    }
    return out;
  }

  private static String sectionOf(TableId table, Map<String, String> sections) {
    return sectionOf(table, sections, true);
  }

  /**
   * The text of the section whose heading names {@code table} (or its layer's {@code *}), with the sections of the
   * tables it says it shares its columns with (one step only, so two sections naming each other cannot loop).
   */
  private static String sectionOf(TableId table, Map<String, String> sections, boolean follow) {
    for (Map.Entry<String, String> s : sections.entrySet()) {
      Matcher m = TABLE.matcher(s.getKey());
      while (m.find()) {
        if (m.group(1).equals(table.layer()) && (m.group(2).equals("*") || m.group(2).equals(table.name()))) {
          StringBuilder text = new StringBuilder(s.getValue());
          Matcher shares = SHARES.matcher(s.getValue());
          while (follow && shares.find()) {
            for (int g = 1; g <= 2; g++) {
              if (shares.group(g) != null) {
                String other = sectionOf(TableId.parse(shares.group(g)), sections, false);
                text.append(other == null ? "" : other);
              }
            }
          }
          return text.toString();
        }
      }
    }
    return null;
  }

  static boolean documents(String text, String column) {
    if (Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(column) + "(?![A-Za-z0-9_])").matcher(text).find()) {
      return true;
    }
    Matcher lag = LAG.matcher(column);
    if (lag.matches() && text.contains(lag.group(1) + "1..lagK")) {
      return true;
    }
    return column.startsWith("W_") && text.contains("`W_<v>`");
  }

  private static List<TableId> tables() {
    List<TableId> out = new ArrayList<>();
    for (Field f : Tables.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == TableId.class) {
        try {
          out.add((TableId) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }
}
