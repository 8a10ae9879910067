package org.learningregions.cli;

import java.util.List;
import org.learningregions.lake.Maintenance;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.TableId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maintain}: OPTIMIZE and VACUUM the lakehouse tables. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = "Compact small files (Delta OPTIMIZE) and remove files older than the retention that no version "
        + "needs (VACUUM, maintain.vacuum-retention-hours, at least 168). Table contents do not change. Run it when no "
        + "pipeline is writing, e.g. weekly from the scheduler.")
final class MaintainCommand extends SparkCommand {
  @Parameters(paramLabel = "TABLE", arity = "0..*", description = "layer.name tables (default: every table)")
  List<String> tables;

  @Option(names = "--no-vacuum", description = "Only compact; keep every old file.")
  boolean noVacuum;

  @Option(names = "--allow-short-retention", description = "Accept maintain.vacuum-retention-hours below 168 (Delta's "
      + "default): readers of older versions may fail and report --run-id for older runs ends. Recorded in the run "
      + "manifest.")
  boolean allowShortRetention;

  @Override
  int execute(Run ctx) {
    RunManifest.Stage stage = ctx.manifest().stage("maintain");
    List<TableId> targets = tables == null || tables.isEmpty() ? ctx.lake().tables()
        : tables.stream().map(TableId::parse).toList();
    double retention = ctx.config().number("maintain.vacuum-retention-hours");
    if (!noVacuum && allowShortRetention && retention < Maintenance.DEFAULT_RETENTION_HOURS) {
      String why = "vacuum retention " + retention + " hours, below Delta's default of 168, by --allow-short-retention";
      stage.count("short_retention_override_hours", retention);
      stage.note(why);
      System.err.println("warning: " + why + ": time travel to older versions ends");
    }
    System.out.println("table,files_added,files_removed,files_vacuumed,version");
    ctx.spark().conf().set("spark.databricks.delta.commitInfo.userMetadata", ctx.runId());
    for (TableId t : targets) {
      Maintenance.Result r = Maintenance.run(ctx.lake(), t, !noVacuum, retention, allowShortRetention);
      stage.count(t.toString(), java.util.Map.of("files_added", r.filesAdded(), "files_removed", r.filesRemoved(),
          "files_vacuumed", r.vacuumedFiles(), "version", r.versionAfter()));
      System.out.println(t + "," + r.filesAdded() + "," + r.filesRemoved() + "," + r.vacuumedFiles() + ","
          + r.versionAfter());
    }
    stage.done();
    return 0;
  }
}
