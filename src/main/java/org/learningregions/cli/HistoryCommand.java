package org.learningregions.cli;

import java.util.List;
import org.apache.spark.sql.Row;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code history}: Delta versions of a table, and the model runs. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Show the Delta versions of a table (version, time, operation, run id that wrote it). Without a "
        + "table: every table with its current version, and the model runs recorded in gold.model_runs.")
final class HistoryCommand extends SparkCommand {
  @Parameters(paramLabel = "TABLE", arity = "0..1", description = "layer.name, e.g. gold.analysis_panel")
  String table;

  @Override
  boolean writesManifest() {
    return false;
  }

  @Override
  int execute(Run ctx) {
    if (table != null) {
      TableId t = TableId.parse(table);
      System.out.println("version,timestamp,operation,run_id,rows_written");
      for (Row r : ctx.lake().history(t).collectAsList()) {
        scala.collection.Map<String, String> metrics = r.getMap(4);
        String rows = metrics == null ? "" : metrics.getOrElse("numOutputRows", () -> "");
        System.out.println(r.get(0) + "," + r.get(1) + "," + r.get(2) + "," + (r.isNullAt(3) ? "" : r.get(3)) + ","
            + rows);
      }
      if (t.equals(Tables.MODEL_RUNS) || t.equals(Tables.MODEL_COEFFICIENTS)) {
        printRuns(ctx);
      }
      return 0;
    }
    System.out.println("table,version");
    for (TableId t : ctx.lake().tables()) {
      System.out.println(t + "," + ctx.lake().version(t));
    }
    printRuns(ctx);
    return 0;
  }

  private static void printRuns(Run ctx) {
    if (!ctx.lake().exists(Tables.MODEL_RUNS)) {
      return;
    }
    System.out.println();
    System.out.println("model_run_id,model_name,fitted_at,input,input_version,n_obs,pipeline_run_id");
    List<Row> runs = ctx.lake().read(Tables.MODEL_RUNS)
        .select("run_id", "model_name", "fitted_at", "input", "input_version", "n_obs", "pipeline_run_id")
        .orderBy("fitted_at", "model_name").collectAsList();
    for (Row r : runs) {
      System.out.println(r.mkString(","));
    }
  }
}
