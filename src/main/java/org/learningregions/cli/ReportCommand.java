package org.learningregions.cli;

import org.learningregions.report.ReportSettings;
import org.learningregions.report.ReportStage;
import org.learningregions.stage.StageResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code report}: the report of the latest state, or of the state a given run left. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write <reports>/<run id>/ with summary.html, summary.pdf, tables.xlsx, csv/ and codebook.md from "
        + "the gold tables: the latest model run of every spec. When the tables and settings are those of the last "
        + "report and it is still there, prints its path instead.")
final class ReportCommand extends SparkCommand {
  @Option(names = "--run-id", paramLabel = "ID", description = "Report the lakehouse as this run left it (tables at "
      + "the Delta versions its run manifests record; ids: `history`, _runs/). Default: the latest state.")
  String runId;

  @Mixin
  StageOptions stage;

  @Override
  int execute(Run run) {
    StageResult r = run.runStage(new ReportStage(ReportSettings.from(run.config()), runId), stage.force);
    System.out.println("report: " + java.nio.file.Paths.get(r.outputs().get(ReportStage.REPORT_DIR), "summary.html"));
    return 0;
  }
}
