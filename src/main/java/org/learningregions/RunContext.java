package org.learningregions;

import org.apache.spark.sql.SparkSession;
import org.learningregions.config.AppConfig;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;

/** Everything a stage needs for one run: configuration, Spark, the lakehouse and the manifest it reports into. */
public record RunContext(AppConfig config, SparkSession spark, Lakehouse lake, RunManifest manifest) {
  public String runId() {
    return manifest.runId();
  }
}
