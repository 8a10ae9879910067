package org.learningregions.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
 * docs/CODEBOOK.md against the tables the shared sample pipeline wrote: every table in the lakehouse
 * ({@link Lakehouse#tables}) has a section, and every column of its Delta schema is named in that section (or in the
 * section of the table it says it shares its columns with). A column added in code without a word in the codebook
 * fails here, as gdp_source was from 2026-12-02 to 2026-12-05. The lakehouse check is in the slow tier, with the
 * other readers of the shared sample; the matching rule in the fast one.
 */
public class CodebookCoverageTest {
  private static final Pattern TABLE = Pattern.compile("\\b(bronze|silver|quarantine|gold|meta)\\.([a-z_0-9]+|\\*)");
  /** "The columns of gold.analysis_panel", "the same columns as gold.analysis_panel and gold.panel_coverage". */
  private static final Pattern SHARES = Pattern.compile(
      "columns\\s+(?:of|as)\\s+(gold\\.[a-z_0-9]+)(?:\\s+and\\s+(gold\\.[a-z_0-9]+))?");
  /** W_learning_rate_lag1 and W_learning_rate_lag1_coverage are documented as `W_<v>` of learning_rate_lag1. */
  private static final Pattern SPATIAL = Pattern.compile("W_(.+?)(?:_coverage)?");
  /** learning_rate_lag3 is documented as learning_rate_lag1..lagK. */
  private static final Pattern LAG = Pattern.compile("(.+_lag)\\d+");

  @Test
  @Tag("slow")
  void everyColumnOfEveryWrittenTableIsInTheCodebook() throws IOException {
    List<String> missing = undocumented(SamplePipeline.get().lakehouse, 20);
    assertEquals(List.of(), missing, "columns the pipeline writes that docs/CODEBOOK.md does not name");
  }

  /**
   * The tables in {@code lakehouse} without a codebook section, and their columns the codebook does
   * not name ({@code layer.table.column}); also run on the real study's lakehouse (its TL2 tables and real-data
   * columns).
   *
   * @param atLeast fewer tables than this in the lakehouse fails the test: a check of nothing would pass
   */
  public static List<String> undocumented(Path lakehouse, int atLeast) throws IOException {
    Map<String, String> sections = sections(Files.readString(Path.of("docs/CODEBOOK.md")));
    Lakehouse lake = new Lakehouse(SparkTestSession.get(), lakehouse.toString());
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (TableId table : lake.tables()) {
      String text = sectionOf(table, sections);
      if (text == null) {
        missing.add(table + ": no section");
        continue;
      }
      checked++;
      for (String column : lake.read(table).columns()) {
        if (!documents(text, column)) {
          missing.add(table + "." + column);
        }
      }
    }
    assertTrue(checked >= atLeast, "only " + checked + " tables of " + lakehouse + " were checked");
    return missing;
  }

  @Test
  @Tag("fast")
  void aColumnTheCodebookDoesNotNameIsFound() {
    String text = "## gold.analysis_panel (`panel.nuts-level`)\n| region_code, year | the key, learning_city. |\n"
        + "| learning_rate_lag1..lagK | lags |\n| `W_<v>` | spatial lag of v |";
    assertTrue(documents(text, "region_code"));
    assertTrue(documents(text, "learning_city"), "a name at the end of a sentence");
    assertTrue(documents(text, "learning_rate_lag3"));
    assertTrue(documents(text, "W_learning_rate_lag1"));
    assertTrue(documents(text, "W_learning_rate_lag1_coverage"));
    assertFalse(documents(text, "W_gdp_eur_m"), "the spatial lag of a column named nowhere");
    assertFalse(documents(text, "gdp_source"), "a column named nowhere");
    assertFalse(documents(text, "region"), "a prefix of a documented name is not its own name");
    assertFalse(documents(text, "nuts"), "part of a configuration key");
    assertFalse(documents(text, "level"), "part of a configuration key");
    assertFalse(documents(text, "analysis_panel"), "a table's name");
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

  /**
   * Whether {@code text} names {@code column} as a word of its own: not inside a configuration key or a table name
   * ({@code panel.nuts-level}, {@code gold.x}), though a sentence may end after it; a lag or a spatial lag counts when
   * the pattern is documented and, for a spatial lag, the lagged column too.
   */
  static boolean documents(String text, String column) {
    if (Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(column) + "(?![A-Za-z0-9_-])(?!\\.[A-Za-z0-9_])")
        .matcher(text).find()) {
      return true;
    }
    Matcher lag = LAG.matcher(column);
    if (lag.matches() && text.contains(lag.group(1) + "1..lagK")) {
      return true;
    }
    Matcher spatial = SPATIAL.matcher(column);
    return spatial.matches() && text.contains("`W_<v>`") && documents(text, spatial.group(1));
  }
}
