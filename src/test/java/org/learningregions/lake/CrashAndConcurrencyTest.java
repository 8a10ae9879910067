package org.learningregions.lake;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;
import org.learningregions.SparkTestSession;

/**
 * What a data engineer on call needs to trust: a pipeline whose driver process is killed with SIGKILL in the middle of
 * its writes leaves every table readable, and rerunning it gives the same content as an uninterrupted run; two
 * pipelines writing one lakehouse at once both finish, or one fails with a one-line message, and the tables end with
 * the uninterrupted run's content. The pipelines under test are separate JVMs (the kill must hit a real process).
 */
class CrashAndConcurrencyTest {
  @TempDir
  static Path tmp;

  static Path inputs;
  static Path reference;

  /**
   * Tables compared with the uninterrupted run: key columns, then value columns (run ids and times excluded).
   * Doubles agree to 1e-9 relative: the fixed-effects demeaning iterates to a tolerance, and partial sums in another
   * partitioning (another JVM, another core count) differ in the last bits.
   */
  static final List<String[]> COMPARED = List.of(
      new String[] {"gold/analysis_panel", "region_code,year", "productivity_eur,learning_rate,learning_rate_lag1"},
      new String[] {"gold/learning_rates", "survey,region_code,year,measure,breakdown,breakdown_value", "n,rate,se"},
      new String[] {"gold/model_coefficients", "model_name,term", "estimate,std_error,ci_low,ci_high,se_type"},
      new String[] {"silver/regional_indicator", "indicator,unit,sex,age,other_dims,region_code,year",
          "value,flag"},
      new String[] {"silver/learning_participation", "survey,year,respondent_id", "region_code,weight"});

  @BeforeAll
  static void referenceRun() {
    inputs = tmp.resolve("inputs");
    reference = tmp.resolve("reference");
    CliRunner.Result gen = CliRunner.run("generate-sample", "--conf", "conf/local.conf", "--out", inputs.toString(),
        "--countries", "AT,BE,NL", "--first-year", "2013", "--last-year", "2019", "--respondents", "30", "--seed", "3");
    assertEquals(0, gen.exitCode(), gen.err());
    CliRunner.Result run = CliRunner.run(args(reference));
    assertEquals(0, run.exitCode(), run.err());
  }

  static String[] args(Path lakehouse) {
    return new String[] {"pipeline", "--conf", "conf/local.conf", "--input", inputs.toString(),
        "-Dlakehouse=" + lakehouse, "-Dreports=" + lakehouse.resolve("_reports")};
  }

  /** The CLI in its own JVM, with this JVM's classpath and module options. */
  static Process launch(Path lakehouse, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1500m"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty") || a.startsWith("--enable-native-access")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-Dlog4j2.configurationFile=conf/log4j2.properties", "-cp",
        System.getProperty("java.class.path"), "org.learningregions.cli.LearningRegions"));
    cmd.addAll(List.of(args(lakehouse)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  /** Every Delta table under the lakehouse reads, and how many rows each has. */
  static List<String> readableTables(Path lakehouse) throws Exception {
    SparkSession spark = SparkTestSession.get();
    List<String> tables = new ArrayList<>();
    for (String layer : List.of("bronze", "silver", "gold", "quarantine")) {
      File[] dirs = lakehouse.resolve(layer).toFile().listFiles(File::isDirectory);
      for (File d : dirs == null ? new File[0] : dirs) {
        if (new File(d, "_delta_log").isDirectory()) {
          long n = spark.read().format("delta").load(d.toString()).count();
          tables.add(layer + "/" + d.getName() + "=" + n);
        }
      }
    }
    return tables;
  }

  static void assertSameContent(Path lakehouse) {
    SparkSession spark = SparkTestSession.get();
    for (String[] t : COMPARED) {
      List<String> keys = List.of(t[1].split(","));
      Dataset<Row> want = spark.read().format("delta").load(reference.resolve(t[0]).toString()).alias("w");
      Dataset<Row> got = spark.read().format("delta").load(lakehouse.resolve(t[0]).toString()).alias("g");
      assertEquals(want.count(), got.count(), t[0] + " rows");
      Column on = lit(true);
      for (String k : keys) {
        on = on.and(col("w." + k).eqNullSafe(col("g." + k)));
      }
      Column bad = col("w." + keys.get(0)).isNull().or(col("g." + keys.get(0)).isNull());
      for (String c : t[2].split(",")) {
        Column w = col("w." + c);
        Column g = col("g." + c);
        boolean isDouble = want.schema().apply(c).dataType().equals(DataTypes.DoubleType);
        Column differs = isDouble
            ? not(w.isNull().and(g.isNull()).or(abs(w.minus(g)).leq(greatest(abs(w), abs(g)).multiply(1e-9))))
            : not(w.eqNullSafe(g));
        bad = bad.or(differs);
      }
      List<Row> mismatches = want.join(got, on, "full_outer").filter(bad).limit(5).collectAsList();
      assertEquals(List.of(), mismatches, t[0] + ": rows missing on one side or values differing from the "
          + "uninterrupted run (reference columns first)");
    }
  }

  @Test
  void sigkillMidWriteLeavesReadableTablesAndARerunCompletesThem() throws Exception {
    Path lake = tmp.resolve("killed");
    Process p = launch(lake, tmp.resolve("killed.log"));
    Path firstCommit = lake.resolve("silver/regional_indicator/_delta_log/00000000000000000000.json");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(firstCommit) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "the pipeline ended before it could be killed: "
        + Files.readString(tmp.resolve("killed.log")));
    p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no finally blocks
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
    assertFalse(Files.exists(lake.resolve("gold/model_coefficients/_delta_log")), "killed before the end");
    List<String> afterKill = readableTables(lake);
    assertTrue(afterKill.stream().anyMatch(t -> t.startsWith("silver/regional_indicator=")), afterKill.toString());

    CliRunner.Result rerun = CliRunner.run(args(lake));
    assertEquals(0, rerun.exitCode(), rerun.err());
    readableTables(lake);
    assertSameContent(lake);
  }

  @Test
  void twoConcurrentPipelinesEndWithCorrectTablesOrOneCleanFailure() throws Exception {
    Path lake = tmp.resolve("concurrent");
    Process a = launch(lake, tmp.resolve("a.log"));
    Process b = launch(lake, tmp.resolve("b.log"));
    assertTrue(a.waitFor(15, TimeUnit.MINUTES) && b.waitFor(15, TimeUnit.MINUTES), "pipelines did not finish");
    int failed = 0;
    for (String name : List.of("a.log", "b.log")) {
      int code = (name.equals("a.log") ? a : b).exitValue();
      String log = Files.readString(tmp.resolve(name));
      assertTrue(code == 0 || code == 1, name + " exit " + code + "\n" + log);
      if (code == 1) {
        failed++;
        assertTrue(log.contains("another writer"), name + " failed without the concurrency message:\n" + log);
      }
    }
    assertTrue(failed < 2, "at most one of two concurrent runs may fail");
    // What happened, for the record (target/concurrent-runs.txt): exit codes and commit retries of each run.
    StringBuilder record = new StringBuilder();
    for (String name : List.of("a.log", "b.log")) {
      String log = Files.readString(tmp.resolve(name));
      record.append(name).append(": exit ").append((name.equals("a.log") ? a : b).exitValue()).append(", retries ")
          .append(log.split("concurrent commit by another writer", -1).length - 1).append('\n');
    }
    Files.writeString(Path.of("target", "concurrent-runs.txt"), record.toString());
    readableTables(lake);
    if (failed == 1) {
      CliRunner.Result rerun = CliRunner.run(args(lake));
      assertEquals(0, rerun.exitCode(), rerun.err());
    }
    assertSameContent(lake);
    try (Stream<Path> runs = Files.list(lake.resolve("_runs"))) {
      assertTrue(runs.filter(f -> f.toString().endsWith(".json")).count() >= 2, "one manifest per run");
    }
  }
}
