package org.learningregions.cli;

import org.learningregions.aggregate.AggregateSettings;
import org.learningregions.aggregate.AggregateStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code aggregate}: survey microdata to weighted rates with design-based SE. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
    description = "Compute weighted learning participation rates with Taylor-linearised standard errors, Wilson "
        + "confidence intervals and reliability flags from silver.learning_participation into gold.learning_rates. "
        + "Does nothing when its inputs and settings are those gold.learning_rates was computed from.")
final class AggregateCommand extends SparkCommand {
  @Mixin
  StageOptions stage;

  @Override
  int execute(Run run) {
    run.runStage(new AggregateStage(AggregateSettings.from(run.config())), stage.force);
    return 0;
  }
}
