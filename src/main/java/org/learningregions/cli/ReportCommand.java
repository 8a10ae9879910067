package org.learningregions.cli;

import java.nio.file.Path;
import org.learningregions.RunContext;
import org.learningregions.report.ReportStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code report}: the report of the latest state, or of the state a given run left. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write <reports>/<run id>/ with summary.html, summary.pdf, tables.xlsx, csv/ and codebook.md from "
        + "the gold tables: the latest model run of every spec.")
final class ReportCommand extends SparkCommand {
  @Option(names = "--run-id", paramLabel = "ID", description = "Report the lakehouse as this run left it (tables at "
      + "the Delta versions its run manifests record; ids: `history`, _runs/). Default: the latest state.")
  String runId;

  @Override
  int execute(RunContext ctx) {
    Path dir = new ReportStage(ctx).run(runId);
    System.out.println("report: " + dir.resolve("summary.html"));
    return 0;
  }
}
