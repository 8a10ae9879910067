package org.learningregions.cli;

import java.nio.file.Path;
import org.learningregions.RunContext;
import org.learningregions.report.ReportStage;
import picocli.CommandLine.Command;

/** {@code report}: summary.html and CSV exports from the gold tables. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write <reports>/<run id>/summary.html and CSV exports (model coefficients, runs, panel, coverage, "
        + "learning rates) from the latest model run of every spec.")
final class ReportCommand extends SparkCommand {
  @Override
  int execute(RunContext ctx) {
    Path dir = new ReportStage(ctx).run();
    System.out.println("report: " + dir.resolve("summary.html"));
    return 0;
  }
}
