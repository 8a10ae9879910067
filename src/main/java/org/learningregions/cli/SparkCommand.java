package org.learningregions.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.learningregions.LearningRegionsException;
import org.learningregions.RunContext;
import org.learningregions.config.AppConfig;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.SparkSessions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command that runs Spark: loads configuration, joins or starts the session, opens the lakehouse and
 * writes the run manifest (also when the run fails) to {@code <lakehouse>/_runs/<run id>.json}.
 */
abstract class SparkCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  /** Whether this command writes a run manifest (read-only commands do not). */
  boolean writesManifest() {
    return true;
  }

  abstract int execute(RunContext ctx) throws Exception;

  @Override
  public Integer call() throws Exception {
    LearningRegions.verbose = common.verbose;
    AppConfig config = common.load();
    SparkSession spark = SparkSessions.getOrCreate(config);
    RunManifest manifest = RunManifest.forCommand(spec.qualifiedName(), config);
    manifest.put("spark_master", spark.sparkContext().master());
    RunContext ctx = new RunContext(config, spark, new Lakehouse(spark, config.lakehouse(), manifest.runId()), manifest);
    try {
      int code = execute(ctx);
      manifest.finish(code == 0 ? "succeeded" : "failed", null);
      return code;
    } catch (LearningRegionsException e) {
      manifest.finish("failed", e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      manifest.finish("failed", String.valueOf(e.getMessage()));
      throw e;
    } finally {
      if (writesManifest()) {
        manifest.writeOrWarn(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
      }
    }
  }
}
