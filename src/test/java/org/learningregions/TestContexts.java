package org.learningregions;

import java.nio.file.Path;
import java.util.Map;
import org.learningregions.config.AppConfig;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;

/** Builds a RunContext on the shared session with a fresh lakehouse and optional config overrides. */
public final class TestContexts {
  private TestContexts() {}

  public static RunContext context(Path lakehouse, Map<String, String> overrides) {
    Map<String, String> all = new java.util.LinkedHashMap<>(overrides);
    all.put("lakehouse", lakehouse.toString());
    AppConfig config = AppConfig.load(new java.io.File("conf/local.conf"), all);
    RunManifest manifest = new RunManifest(RunManifest.newRunId(), "test");
    return new RunContext(config, SparkTestSession.get(),
        new Lakehouse(SparkTestSession.get(), lakehouse.toString(), manifest.runId()), manifest);
  }
}
