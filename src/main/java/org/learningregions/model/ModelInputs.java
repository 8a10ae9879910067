package org.learningregions.model;

import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.learningregions.LearningRegionsException;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.TableId;

/**
 * Opens what a model is fitted on: a lakehouse table ({@code gold.analysis_panel}), a Delta directory, a Parquet
 * file or directory, or a CSV file (header, inferred types), and names its version for the registry.
 */
public final class ModelInputs {
  private ModelInputs() {}

  /** The data and a version string: {@code delta:<version>} or {@code file:<size>:<mtime>}. */
  public record Input(Dataset<Row> data, String version) {}

  /** The version {@link #open} would report, without opening the data: cheap enough for every skip check. */
  public static String version(Lakehouse lake, String input) {
    if (TableId.looksLikeTable(input)) {
      return "delta:" + lake.version(TableId.parse(input));
    }
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(lake.hadoop());
      if (!fs.exists(p)) {
        return "missing";
      }
      if (fs.exists(new Path(p, "_delta_log"))) {
        return "delta:" + lake.versionAt(input);
      }
      FileStatus st = fs.getFileStatus(p);
      return "file:" + st.getLen() + ":" + st.getModificationTime();
    } catch (IOException e) {
      return "unreadable";
    }
  }

  public static Input open(SparkSession spark, Lakehouse lake, String input) {
    if (TableId.looksLikeTable(input)) {
      TableId t = TableId.parse(input);
      return new Input(lake.read(t), "delta:" + lake.version(t));
    }
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw LearningRegionsException.failure("input not found: " + input
            + " (give a lakehouse table such as gold.analysis_panel, a Delta or Parquet path, or a CSV file)");
      }
      if (fs.exists(new Path(p, "_delta_log"))) {
        Dataset<Row> d = spark.read().format("delta").load(input);
        return new Input(d, "delta:" + lake.versionAt(input));
      }
      FileStatus st = fs.getFileStatus(p);
      String version = "file:" + st.getLen() + ":" + st.getModificationTime();
      String lower = input.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
        return new Input(spark.read().option("header", "true").option("inferSchema", "true").csv(input), version);
      }
      return new Input(spark.read().parquet(input), version);
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot open " + input + ": " + e.getMessage(), e);
    }
  }
}
