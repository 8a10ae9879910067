package org.learningregions.lake;

import java.util.Map;

/**
 * What a stage's outputs were last computed from (one row of meta.stage_state): the Delta versions (or file
 * versions) of everything it read and a fingerprint of the settings and code that shaped it, with the versions its
 * own writes produced. When the same stage finds equal inputs and fingerprint, and its outputs still at those
 * versions, it has nothing to do.
 *
 * @param stage stage name
 * @param fingerprint hash of the stage's settings and the code version
 * @param inputs input name (table or path) to version
 * @param outputs output name (table or report directory) to version or location
 * @param runId the run that wrote the outputs
 * @param finishedAt when (UTC, ISO 8601)
 */
public record StageState(String stage, String fingerprint, Map<String, String> inputs, Map<String, String> outputs,
    String runId, String finishedAt) {}
