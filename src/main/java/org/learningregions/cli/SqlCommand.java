package org.learningregions.cli;

import java.io.PrintStream;
import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;
import org.learningregions.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sql}: a Spark SQL query over the lakehouse tables, CSV on stdout. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run a Spark SQL query over the lakehouse; tables are named layer.name (bronze.*, silver.*, gold.*, "
        + "quarantine.*), e.g. \"select count(*) from gold.analysis_panel\". Prints CSV with a header to stdout.")
final class SqlCommand extends SparkCommand {
  @Parameters(paramLabel = "QUERY", description = "The query.")
  String query;

  @Override
  boolean writesManifest() {
    return false;
  }

  @Override
  int execute(RunContext ctx) {
    ctx.lake().registerTables();
    Dataset<Row> result;
    try {
      result = ctx.spark().sql(query);
    } catch (Exception e) {
      String m = String.valueOf(e.getMessage());
      throw LearningRegionsException.failure("query failed: " + (m.contains("\n") ? m.substring(0, m.indexOf('\n')) : m));
    }
    PrintStream out = System.out;
    String[] cols = result.columns();
    out.println(String.join(",", java.util.Arrays.stream(cols).map(SqlCommand::quote).toList()));
    Iterator<Row> it = result.toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < cols.length; i++) {
        sb.append(i == 0 ? "" : ",").append(r.isNullAt(i) ? "" : quote(String.valueOf(r.get(i))));
      }
      out.println(sb);
    }
    out.flush();
    return 0;
  }

  static String quote(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
