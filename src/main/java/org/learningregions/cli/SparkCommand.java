package org.learningregions.cli;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.learningregions.LearningRegionsException;
import org.learningregions.config.AppConfig;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.SparkSessions;
import org.learningregions.stage.ExpressionMode;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;
import org.learningregions.stage.StageRunner;
import org.learningregions.util.BuildInfo;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command on the lakehouse: loads configuration, opens the lakehouse (Spark starts when a stage first
 * reads or writes data, so a run with nothing to do never starts it) and writes the run manifest (also when the run
 * fails) to {@code <lakehouse>/_runs/<run id>.json}.
 */
abstract class SparkCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  /** One command run: its configuration, the lakehouse (and through it Spark, started on first use), its manifest. */
  record Run(AppConfig config, Lakehouse lake, RunManifest manifest) {
    String runId() {
      return manifest.runId();
    }

    SparkSession spark() {
      return lake.spark();
    }

    /** Runs stages through the one {@link StageRunner}; {@code force} runs them even when their outputs are current. */
    StageResult runStage(Stage stage, boolean force) {
      return runner(force).run(stage);
    }

    StageRunner runner(boolean force) {
      return new StageRunner(new StageContext(lake, manifest, null, ExpressionMode.from(config)),
          BuildInfo.codeVersion(), force);
    }
  }

  /** Whether this command writes a run manifest (read-only commands do not). */
  boolean writesManifest() {
    return true;
  }

  abstract int execute(Run run) throws Exception;

  @Override
  public Integer call() throws Exception {
    LearningRegions.verbose = common.verbose;
    AppConfig config = common.load();
    Supplier<SparkSession> spark = SparkSessions.lazily(config);
    Configuration hadoop = SparkSessions.hadoopConfiguration(config);
    RunManifest manifest = RunManifest.forCommand(spec.qualifiedName(), config);
    manifest.put("code_version", BuildInfo.codeVersion());
    Supplier<SparkSession> recorded = () -> {
      SparkSession s = spark.get();
      manifest.put("spark_master", s.sparkContext().master());
      return s;
    };
    Run run = new Run(config, new Lakehouse(recorded, hadoop, config.lakehouse()), manifest);
    try {
      int code = execute(run);
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
        manifest.writeOrWarn(config.lakehouse(), hadoop);
      }
    }
  }
}
