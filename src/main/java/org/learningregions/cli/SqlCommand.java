package org.learningregions.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;
import org.learningregions.lake.RunManifest;
import org.learningregions.util.CsvWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sql}: a Spark SQL query over the lakehouse tables, CSV on stdout. Reads only, unless told otherwise. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run a Spark SQL query over the lakehouse; tables are named layer.name (bronze.*, silver.*, gold.*, "
        + "quarantine.*, meta.*), e.g. \"select count(*) from gold.analysis_panel\". Prints CSV with a header to "
        + "stdout. Statements that write, drop or maintain tables are refused (exit 2) unless --allow-writes is given.")
final class SqlCommand extends SparkCommand {
  @Parameters(paramLabel = "QUERY", description = "The query.")
  String query;

  @Option(names = "--allow-writes", description = "Run a statement that changes the lakehouse (INSERT, DELETE, "
      + "MERGE, DROP, VACUUM, ...); it is recorded in a run manifest.")
  boolean allowWrites;

  /** Only a write leaves a manifest: the record of who changed the lakehouse outside the pipeline. */
  @Override
  boolean writesManifest() {
    return allowWrites;
  }

  @Override
  int execute(Run run) {
    String write = SqlStatements.writeKeyword(query);
    if (write != null && !allowWrites) {
      throw LearningRegionsException.usage("sql only reads: a " + write + " statement changes the lakehouse; pass "
          + "--allow-writes to run it (it is recorded in a run manifest)");
    }
    if (allowWrites) {
      RunManifest.Stage s = run.manifest().stage("sql");
      s.count("statement", query);
      s.count("writes", write != null);
      s.done();
    }
    run.lake().registerTables();
    Dataset<Row> result;
    try {
      result = run.spark().sql(query);
    } catch (Exception e) {
      String m = String.valueOf(e.getMessage());
      throw LearningRegionsException.failure("query failed: " + (m.contains("\n") ? m.substring(0, m.indexOf('\n'))
          : m));
    }
    print(result);
    return 0;
  }

  private static void print(Dataset<Row> result) {
    try {
      BufferedWriter w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
      CsvWriter csv = new CsvWriter(w, false);
      String[] cols = result.columns();
      csv.row(List.of(cols));
      Iterator<Row> it = result.toLocalIterator();
      List<Object> values = new ArrayList<>(cols.length);
      while (it.hasNext()) {
        Row r = it.next();
        values.clear();
        for (int i = 0; i < cols.length; i++) {
          values.add(r.isNullAt(i) ? null : r.get(i) instanceof Number || r.get(i) instanceof Boolean ? r.get(i)
              : String.valueOf(r.get(i)));
        }
        csv.row(values);
      }
      csv.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
