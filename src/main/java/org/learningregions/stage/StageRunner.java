package org.learningregions.stage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.StageState;
import org.learningregions.lake.StageStateStore;
import org.learningregions.lake.TableId;
import org.learningregions.util.Fingerprint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages the same way wherever they are started: opens the stage's manifest entry, decides from
 * meta.stage_state whether its outputs are current (same input versions, same settings fingerprint, outputs still at
 * the versions recorded), and otherwise runs it and records the new state. The state is written after the outputs,
 * so a run killed in between only makes the next run recompute.
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  private final StageContext base;
  private final StageStateStore states;
  private final String codeVersion;
  private final boolean force;

  /**
   * @param base the run (its entry is replaced per stage)
   * @param codeVersion part of every fingerprint: new code recomputes every output
   * @param force run every stage even when its outputs are current
   */
  public StageRunner(StageContext base, String codeVersion, boolean force) {
    this.base = base;
    this.states = new StageStateStore(base.lake());
    this.codeVersion = codeVersion;
    this.force = force;
  }

  public StageResult run(Stage stage) {
    RunManifest.Stage entry = base.manifest().stage(stage.name());
    StageContext ctx = base.forEntry(entry);
    try {
      Map<String, String> inputs = stage.inputVersions(ctx);
      String fingerprint = Fingerprint.of(codeVersion, stage.settings());
      if (stage.skipsWhenUnchanged() && !force) {
        StageState previous = states.get(stage.name());
        if (previous != null && previous.fingerprint().equals(fingerprint) && previous.inputs().equals(inputs)
            && stage.outputsCurrent(ctx, previous)) {
          LOG.info("{}: unchanged (inputs {} and settings as in run {})", stage.name(), inputs, previous.runId());
          entry.status("unchanged");
          entry.note("inputs and settings as when run " + previous.runId() + " wrote the outputs");
          return new StageResult(true, previous.outputs());
        }
      }
      entry.status("ran");
      // The one progress line per stage an operator (and the kill-anywhere soak) reads to know where a run is.
      LOG.info("{}: running", stage.name());
      // Ingest has no input tables (0 bytes leaves the mode alone) and sizes the files it will read itself.
      StageResult result = ctx.expressions().run(ctx::spark, entry,
          () -> ExpressionMode.tableBytes(ctx.lake(), stage.inputs()), () -> stage.run(ctx));
      if (stage.skipsWhenUnchanged()) {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (TableId t : stage.outputs()) {
          outputs.put(t.toString(), Long.toString(ctx.lake().version(t)));
        }
        outputs.putAll(result.outputs());
        states.put(new StageState(stage.name(), fingerprint, inputs, outputs, ctx.runId(), Instant.now().toString()),
            ctx.writer());
      }
      return result;
    } finally {
      entry.done();
    }
  }
}
