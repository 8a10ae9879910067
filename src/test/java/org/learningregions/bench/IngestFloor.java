package org.learningregions.bench;

import static org.apache.spark.sql.functions.lit;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.learningregions.config.AppConfig;
import org.learningregions.lake.SparkSessions;
import org.learningregions.util.Concurrently;

/**
 * The yardsticks of bench/ingest.sh (never CI): the least an engine can do with an input file, to set the ingest
 * stage's time against.
 *
 * <ul>
 *   <li>{@code spark-csv CONF FILE OUT}: the Spark floor for a CSV file: {@code spark.read} with the header line and
 *       every column a string (no inference pass), then one {@code write.format("delta")}, in a session built as the
 *       CLI builds it from CONF (same Spark settings, same file system);
 *   <li>{@code spark-tsv CONF FILE OUT}: the same for a tab-separated file (a Eurostat bulk TSV as published: one row
 *       per line, one column per year);
 *   <li>{@code design-csv CONF FILE OUT}: the least the ingest's design writes for a CSV file, with no validation:
 *       {@code spark-csv}'s table (silver) and, at the same time, the file's raw lines with their file name (bronze),
 *       as ingest writes them; so {@code design-csv / spark-csv} is the ratio no validation can go below;
 *   <li>{@code design-tsv CONF FILE OUT}: the same for a Eurostat bulk TSV, whose silver is one row per cell: the
 *       year columns unpivoted ({@code stack}), the cell split into value and flag, the dimensions split, beside
 *       the bronze lines;
 *   <li>{@code duckdb-parquet FILE OUT}: DuckDB's {@code read_csv} into one Parquet file, two threads, as context.
 * </ul>
 *
 * <p>Prints one JSON line with the seconds inside the JVM (session start included) and appends it to
 * {@code $BENCH_RESULTS}.
 */
public final class IngestFloor {
  private IngestFloor() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    long rows = switch (args[0]) {
      case "spark-csv" -> spark(args[1], args[2], args[3], ",");
      case "spark-tsv" -> spark(args[1], args[2], args[3], "\t");
      case "design-csv" -> design(args[1], args[2], args[3], false);
      case "design-tsv" -> design(args[1], args[2], args[3], true);
      case "duckdb-parquet" -> duckdb(args[1], args[2]);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    };
    String line = String.format(Locale.ROOT, "{\"mode\":\"%s\",\"file\":\"%s\",\"rows\":%d,\"jvm_seconds\":%.2f}",
        args[0], args[0].startsWith("duckdb") ? args[1] : args[2], rows, (System.nanoTime() - t0) / 1e9);
    BenchResults.record(line);
  }

  static long spark(String conf, String file, String out, String separator) {
    SparkSession spark = session(conf, out);
    Dataset<Row> read = spark.read().option("header", "true").option("sep", separator).csv(file);
    plainNames(read).write().format("delta").mode("overwrite").save(out + "/floor");
    long rows = rowsWritten(spark, out + "/floor");
    spark.stop();
    return rows;
  }

  static long design(String conf, String file, String out, boolean cells) {
    SparkSession spark = session(conf, out);
    Dataset<Row> read = spark.read().option("header", "true").option("sep", cells ? "\t" : ",").csv(file);
    Dataset<Row> silver = plainNames(read);
    if (cells) {
      // One row per year column: stack(n, 'header', c1, ...), as the TSV reader explodes a line's cells.
      String[] header = read.columns();
      StringBuilder stack = new StringBuilder("stack(").append(header.length - 1);
      for (int i = 1; i < header.length; i++) {
        stack.append(", '").append(header[i].trim()).append("', c").append(i);
      }
      silver = silver.selectExpr("split(c0, ',') as dims", stack + ") as (year_raw, cell)")
          .selectExpr("dims", "try_cast(year_raw as int) as year",
              "try_cast(nullif(split(trim(cell), ' ')[0], ':') as double) as value",
              "nullif(trim(substring(trim(cell), length(split(trim(cell), ' ')[0]) + 1)), '') as flag");
    }
    Dataset<Row> silverOut = silver.withColumn("source_file", lit(file));
    Dataset<Row> bronze = spark.read().text(file).withColumn("source_file", lit(file));
    Concurrently.run(List.of(
        () -> bronze.write().format("delta").mode("overwrite").save(out + "/bronze"),
        () -> silverOut.write().format("delta").mode("overwrite").save(out + "/silver")));
    long rows = rowsWritten(spark, out + "/silver");
    spark.stop();
    return rows;
  }

  /** A session built as the CLI builds it from CONF, its lakehouse under OUT. */
  private static SparkSession session(String conf, String out) {
    return SparkSessions.getOrCreate(AppConfig.load(new File(conf), Map.of("lakehouse", out)));
  }

  /**
   * The columns renamed c0, c1, ...: a Eurostat header ("freq,unit,geo\\TIME_PERIOD", "2000 ") is not a legal Delta
   * column name (a projection, no extra pass).
   */
  private static Dataset<Row> plainNames(Dataset<Row> read) {
    String[] names = new String[read.columns().length];
    for (int i = 0; i < names.length; i++) {
      names[i] = "c" + i;
    }
    return read.toDF(names);
  }

  /** Rows of a Delta table's last write, from its log (numOutputRows), not from a second read. */
  private static long rowsWritten(SparkSession spark, String table) {
    Map<String, String> metrics = spark.sql("describe history delta.`" + table + "`").select("operationMetrics")
        .head().getJavaMap(0);
    return Long.parseLong(metrics.getOrDefault("numOutputRows", "-1"));
  }

  static long duckdb(String file, String out) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
      s.execute("COPY (SELECT * FROM read_csv('" + file + "', header = true)) TO '" + out + "' (FORMAT parquet)");
      try (var r = s.executeQuery("SELECT count(*) FROM read_parquet('" + out + "')")) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
