package org.learningregions.ingest;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping from silver.learning_participation columns to a microdata file's own column names
 * ({@code microdata.columns} in the configuration). Identity by default.
 */
public record MicrodataColumns(Map<String, String> silverToSource) {
  public static final List<String> SILVER = List.of("survey", "year", "respondent_id", "region_code", "age", "sex",
      "education_level", "labour_status", "formal", "non_formal", "informal", "hours", "weight", "stratum", "psu");

  public static MicrodataColumns from(Config columns) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String c : SILVER) {
      m.put(c, columns.hasPath(c) ? columns.getString(c) : c);
    }
    return new MicrodataColumns(Map.copyOf(m));
  }

  public static MicrodataColumns identity() {
    Map<String, String> m = new LinkedHashMap<>();
    SILVER.forEach(c -> m.put(c, c));
    return new MicrodataColumns(Map.copyOf(m));
  }

  public String source(String silverColumn) {
    return silverToSource.getOrDefault(silverColumn, silverColumn);
  }
}
