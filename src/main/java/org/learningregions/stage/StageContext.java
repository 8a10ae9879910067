package org.learningregions.stage;

import org.apache.spark.sql.SparkSession;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.TableWriter;

/**
 * Everything a stage needs for one run besides its settings: the lakehouse (and through it Spark, started on first
 * use), the run's manifest, the manifest entry of the stage that is running, and whether Spark compiles or
 * interprets expressions for inputs of a given size.
 */
public record StageContext(Lakehouse lake, RunManifest manifest, RunManifest.Stage entry, ExpressionMode expressions) {
  public String runId() {
    return manifest.runId();
  }

  /** The session, started now if it was not. */
  public SparkSession spark() {
    return lake.spark();
  }

  /** Commits on behalf of this run. */
  public TableWriter writer() {
    return lake.writer(manifest.runId());
  }

  /** The same run, reporting into another stage's manifest entry. */
  public StageContext forEntry(RunManifest.Stage other) {
    return new StageContext(lake, manifest, other, expressions);
  }
}
