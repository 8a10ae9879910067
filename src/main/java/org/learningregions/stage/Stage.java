package org.learningregions.stage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.learningregions.lake.StageState;
import org.learningregions.lake.TableId;

/**
 * One stage of the pipeline, in the one shape every stage has: the tables it reads, the tables it writes, the typed
 * settings (a record built once from the configuration) that shape what it writes, and the work itself. The
 * {@link StageRunner} drives every stage the same way, from {@code pipeline} and from the per-stage commands the
 * cluster job scripts call: when the inputs' versions and the settings are those the outputs were last computed
 * from, and the outputs are still at the versions that computation wrote, the stage reports "unchanged" and does no
 * work.
 */
public interface Stage {
  /** The stage's name in manifests and meta.stage_state, e.g. {@code build-panel}. */
  String name();

  /** Lakehouse tables the stage reads. */
  List<TableId> inputs();

  /** Lakehouse tables the stage writes. */
  List<TableId> outputs();

  /** The settings that shape the outputs; fingerprinted (canonical JSON) with the code version. */
  Object settings();

  /** Does the work: reads {@link #inputs()}, writes {@link #outputs()}, reports into {@code ctx.entry()}. */
  StageResult run(StageContext ctx);

  /** What the stage reads, by name, with the version it has now: by default every input table's Delta version. */
  default Map<String, String> inputVersions(StageContext ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    for (TableId t : inputs()) {
      out.put(t.toString(), Long.toString(ctx.lake().version(t)));
    }
    return out;
  }

  /**
   * Whether the outputs recorded in {@code state} are still there as that run left them: by default every output
   * table at the recorded version (another writer, or a restore, makes the stage run again).
   */
  default boolean outputsCurrent(StageContext ctx, StageState state) {
    for (TableId t : outputs()) {
      String recorded = state.outputs().get(t.toString());
      if (recorded == null || Long.parseLong(recorded) != ctx.lake().version(t)) {
        return false;
      }
    }
    return true;
  }

  /** False for stages that decide per input what to do (ingest skips unchanged files itself). */
  default boolean skipsWhenUnchanged() {
    return true;
  }
}
