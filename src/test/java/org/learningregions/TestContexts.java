package org.learningregions;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.learningregions.config.AppConfig;
import org.learningregions.ingest.IngestSettings;
import org.learningregions.ingest.IngestStage;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;
import org.learningregions.stage.ExpressionMode;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;
import org.learningregions.stage.StageRunner;

/** Runs stages on the shared session against a fresh lakehouse, with optional configuration overrides. */
public final class TestContexts {
  private TestContexts() {}

  /** One test run: configuration, lakehouse, manifest. */
  public record TestRun(AppConfig config, Lakehouse lake, RunManifest manifest) {
    /** Runs a stage through the {@link StageRunner} as the CLI does; {@code force} ignores recorded state. */
    public StageResult run(Stage stage, boolean force) {
      return new StageRunner(new StageContext(lake, manifest, null, ExpressionMode.from(config)), "test",
          force).run(stage);
    }

    /** Ingests files (or directories) with this run's settings. */
    public StageResult ingest(List<String> files) {
      return run(new IngestStage(IngestSettings.from(config), files, null, false), false);
    }

    /** The manifest entry of the last stage run. */
    public RunManifest.Stage lastStage() {
      return manifest.stages().get(manifest.stages().size() - 1);
    }
  }

  public static TestRun context(Path lakehouse, Map<String, String> overrides) {
    Map<String, String> all = new java.util.LinkedHashMap<>(overrides);
    all.put("lakehouse", lakehouse.toString());
    AppConfig config = AppConfig.load(new java.io.File("conf/local.conf"), all);
    RunManifest manifest = new RunManifest(RunManifest.newRunId(), "test");
    return new TestRun(config, new Lakehouse(SparkTestSession.get(), lakehouse.toString()), manifest);
  }
}
