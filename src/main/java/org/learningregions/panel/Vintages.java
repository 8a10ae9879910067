package org.learningregions.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.validate.ObservationValidator;

/**
 * Which vintage of each dataset the panel reads. Silver keeps every vintage (a dataset's files in different folders
 * of the input: {@code eurostat_2017/trng_lfse_04.tsv}, {@code eurostat_2024/trng_lfse_04.tsv}); a panel mixing two
 * vintages of one series would show revisions as changes, so each dataset is read from one vintage only.
 *
 * <p>{@code latest} (the default) takes, per dataset, the vintage whose data reach the latest year (ties: the folder
 * name that sorts last); a folder name takes that vintage for the datasets it holds and the latest for the others.
 */
public final class Vintages {
  private Vintages() {}

  /** The chosen vintage per dataset (dataset code to folder, "" for files at the top of the input), sorted. */
  public static Map<String, String> choose(Dataset<Row> indicators, String vintage) {
    Dataset<Row> withVintage = withVintage(indicators);
    // One row per dataset and vintage: as many as files, never as many as observations.
    List<Row> ends = withVintage.groupBy("source_dataset", "source_vintage").agg(max("year").as("last_year"))
        .collectAsList();
    Map<String, Row> best = new TreeMap<>();
    for (Row r : ends) {
      String dataset = r.getString(0);
      Row held = best.get(dataset);
      if (held == null || better(r, held, vintage)) {
        best.put(dataset, r);
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    best.forEach((d, r) -> out.put(d, r.getString(1)));
    return out;
  }

  /** The rows of the chosen vintages only. */
  public static Dataset<Row> select(Dataset<Row> indicators, Map<String, String> chosen) {
    Column keep = lit(false);
    for (Map.Entry<String, String> e : chosen.entrySet()) {
      keep = keep.or(col("source_dataset").equalTo(e.getKey()).and(col("source_vintage").equalTo(e.getValue())));
    }
    return withVintage(indicators).filter(keep);
  }

  /** "trng_lfse_04 (eurostat_2024)", one per dataset, for manifests and the report. */
  public static String describe(Map<String, String> chosen) {
    StringBuilder sb = new StringBuilder();
    chosen.forEach((d, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(d)
        .append(v.isEmpty() ? "" : " (" + v + ")"));
    return sb.toString();
  }

  private static boolean better(Row candidate, Row held, String vintage) {
    String c = candidate.getString(1);
    String h = held.getString(1);
    if (!"latest".equals(vintage) && (c.equals(vintage) || h.equals(vintage))) {
      return c.equals(vintage);
    }
    int byYear = Integer.compare(lastYear(candidate), lastYear(held));
    return byYear != 0 ? byYear > 0 : c.compareTo(h) > 0;
  }

  private static int lastYear(Row r) {
    return r.isNullAt(2) ? Integer.MIN_VALUE : r.getInt(2);
  }

  /**
   * The vintage as ingest derives it, from the source name: the same for every row, also those of tables written
   * before silver had source_vintage.
   */
  private static Dataset<Row> withVintage(Dataset<Row> indicators) {
    return indicators.withColumn("source_vintage", java.util.Arrays.asList(indicators.columns()).contains("source_file")
        ? ObservationValidator.vintage(col("source_file")) : lit(""));
  }
}
