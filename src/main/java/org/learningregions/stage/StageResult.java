package org.learningregions.stage;

import java.util.Map;

/**
 * What a stage run produced beyond its tables: outputs that are not tables (e.g. the report directory), by name.
 *
 * @param unchanged true when the stage did no work because its outputs were current
 * @param outputs non-table outputs by name (recorded in meta.stage_state with the table versions)
 */
public record StageResult(boolean unchanged, Map<String, String> outputs) {
  public static final StageResult DONE = new StageResult(false, Map.of());

  public static StageResult done(Map<String, String> outputs) {
    return new StageResult(false, Map.copyOf(outputs));
  }
}
