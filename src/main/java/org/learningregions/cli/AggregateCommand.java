package org.learningregions.cli;

import org.learningregions.RunContext;
import org.learningregions.aggregate.AggregateStage;
import picocli.CommandLine.Command;

/** {@code aggregate}: survey microdata to weighted rates with design-based SE. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
    description = "Compute weighted learning participation rates with Taylor-linearised standard errors, Wilson "
        + "confidence intervals and reliability flags from silver.learning_participation into gold.learning_rates.")
final class AggregateCommand extends SparkCommand {
  @Override
  int execute(RunContext ctx) {
    new AggregateStage(ctx).run();
    return 0;
  }
}
