package org.learningregions.cli;

import org.learningregions.index.IndexSettings;
import org.learningregions.index.IndexStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code index}: the learning-region index with Monte Carlo rank intervals and Sobol sensitivity. */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = "Compute the composite learning-region index from the indicator columns of gold.analysis_panel "
        + "(index.indicators) into gold.learning_index, with rank intervals from a Monte Carlo over normalisation, "
        + "weighting, aggregation, a left-out indicator and sampling error; gold.learning_index_audit and "
        + "gold.learning_index_sensitivity. Does nothing when its inputs and settings are unchanged.")
final class IndexCommand extends SparkCommand {
  @Mixin
  StageOptions stage;

  @Override
  int execute(Run run) {
    run.runStage(new IndexStage(IndexSettings.from(run.config())), stage.force);
    return 0;
  }
}
