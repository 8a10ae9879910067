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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliProcess;
import org.learningregions.LearningRegionsException;
import org.learningregions.SamplePipeline;
import org.learningregions.SparkTestSession;
import org.learningregions.TestContexts;

/**
 * What a data engineer on call needs to trust, tested on the commit path itself: two writers committing to one
 * table at once both finish (the loser of Delta's optimistic-concurrency check retries) and leave exactly one copy
 * of each file's rows; a process killed with SIGKILL in the middle of its writes leaves every table readable at its
 * last committed version, and running the same ingest again completes it with the content of an uninterrupted run.
 * The uninterrupted run is the shared sample pipeline's.
 */
@Tag("slow")
class CrashAndConcurrencyTest {
  @TempDir
  static Path tmp;

  static SamplePipeline sample;

  /**
   * Tables compared with the uninterrupted run: key columns, then value columns (run ids and times excluded).
   * Doubles agree to 1e-9 relative.
   */
  static final List<String[]> COMPARED = List.of(
      new String[] {"silver/regional_indicator", "indicator,unit,sex,age,other_dims,region_code,year,source_dataset",
          "value,flag,source_file"},
      new String[] {"silver/learning_participation", "survey,year,respondent_id", "region_code,weight,source_line"},
      new String[] {"bronze/microdata", "source_file,line_no", "raw"},
      new String[] {"meta/ingested_files", "source_file", "sha256,rows_read,rows_accepted,rows_quarantined"});

  @BeforeAll
  static void uninterruptedRun() {
    sample = SamplePipeline.get();
  }

  @Test
  void twoWritersOnOnePartitionLeaveOneCopyAndRetryTheLoser() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lake = new Lakehouse(spark, tmp.resolve("partitions").toString());
    TableId t = TableId.silver("contended");
    AtomicInteger failures = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      writers.add(new Thread(() -> {
        for (int round = 0; round < 4; round++) {
          // Each write replaces the shared partition with rows all tagged by who wrote them and when.
          Dataset<Row> rows = spark.range(0, 50 + 10 * writer + round).selectExpr("'shared' as source_file",
              "id", "'" + writer + "-" + round + "' as tag");
          try {
            lake.writer("writer-" + writer).replacePartitions(t, rows, "source_file", List.of("shared"));
          } catch (LearningRegionsException e) {
            assertTrue(e.getMessage().contains("another writer"), e.getMessage());
            failures.incrementAndGet();
          }
        }
      }));
    }
    writers.forEach(Thread::start);
    for (Thread w : writers) {
      w.join(TimeUnit.MINUTES.toMillis(5));
    }
    Dataset<Row> content = lake.read(t);
    List<Row> tags = content.groupBy("tag").count().collectAsList();
    assertEquals(1, tags.size(), "the partition holds the rows of exactly one write: " + tags);
    String tag = tags.get(0).getString(0);
    long expected = 50 + 10 * Integer.parseInt(tag.substring(0, 1)) + Integer.parseInt(tag.substring(2));
    assertEquals(expected, tags.get(0).getLong(1), "and all of them");
    assertEquals(content.count(), content.select("id").distinct().count(), "no row twice");
    long commits = lake.history(t).count();
    assertEquals(8 - failures.get(), commits, "one commit per successful write");
    assertTrue(failures.get() <= 1, "retries absorb the conflicts of two writers: " + failures.get());
  }

  @Test
  void twoConcurrentIngestsOfTheSameFilesEndWithOneCopy() throws Exception {
    Path lakehouse = tmp.resolve("concurrent");
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    List<Thread> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(new Thread(() -> {
        try {
          TestContexts.context(lakehouse, java.util.Map.of()).ingest(List.of(sample.inputs.toString()));
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    runs.forEach(Thread::start);
    for (Thread r : runs) {
      r.join(TimeUnit.MINUTES.toMillis(10));
    }
    assertTrue(errors.size() <= 1, "at most one of two concurrent ingests may fail: " + errors);
    for (Throwable e : errors) {
      assertTrue(String.valueOf(e.getMessage()).contains("another writer"), "a clean failure: " + e);
    }
    if (!errors.isEmpty()) {
      TestContexts.context(lakehouse, java.util.Map.of()).ingest(List.of(sample.inputs.toString()));
    }
    readableTables(lakehouse);
    assertSameContent(lakehouse);
  }

  @Test
  void sigkillDuringAnIngestLeavesReadableTablesAndARerunCompletesThem() throws Exception {
    Path lakehouse = tmp.resolve("killed");
    Path log = tmp.resolve("killed.log");
    Process p = launch(lakehouse, log);
    Path firstCommit = lakehouse.resolve("bronze/microdata/_delta_log/00000000000000000000.json");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(firstCommit) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(p.isAlive(), "the ingest ended before it could be killed: " + Files.readString(log));
    p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no finally blocks
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
    assertFalse(Files.exists(lakehouse.resolve("meta/ingested_files/_delta_log")), "killed before it recorded files");
    List<String> afterKill = readableTables(lakehouse);
    assertTrue(afterKill.stream().anyMatch(t -> t.startsWith("bronze/microdata=")), afterKill.toString());

    TestContexts.context(lakehouse, java.util.Map.of()).ingest(List.of(sample.inputs.toString()));
    readableTables(lakehouse);
    assertSameContent(lakehouse);
  }

  /** The CLI's ingest in its own JVM (the kill must hit a real process), with this JVM's class path and options. */
  static Process launch(Path lakehouse, Path log) throws Exception {
    return CliProcess.start(log, "ingest", "--conf", "conf/local.conf", "-Dlakehouse=" + lakehouse,
        sample.inputs.toString());
  }

  /** Every Delta table under the lakehouse reads, and how many rows each has. */
  static List<String> readableTables(Path lakehouse) {
    SparkSession spark = SparkTestSession.get();
    List<String[]> found = new ArrayList<>();
    for (String layer : TableId.LAYERS) {
      File[] dirs = lakehouse.resolve(layer).toFile().listFiles(File::isDirectory);
      for (File d : dirs == null ? new File[0] : dirs) {
        // A table whose first commit the kill prevented has a log directory but no version: nothing to read yet.
        String[] commits = new File(d, "_delta_log").list((dir, name) -> name.matches("\\d{20}\\.json"));
        if (commits != null && commits.length > 0) {
          found.add(new String[] {layer + "/" + d.getName(), d.toString()});
        }
      }
    }
    // Each read is a few small Spark jobs bound by latency, not data (the soak reads about 20 tables after each of
    // its kills): three at a time.
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<String>> reads = new ArrayList<>();
      for (String[] t : found) {
        reads.add(pool.submit(() -> t[0] + "=" + spark.read().format("delta").load(t[1]).count()));
      }
      List<String> tables = new ArrayList<>();
      for (Future<String> r : reads) {
        tables.add(r.get());
      }
      return tables;
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError("a table does not read: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  static void assertSameContent(Path lakehouse) {
    assertSameContent(lakehouse, COMPARED);
  }

  /** {@code tables} (path, key columns, value columns) hold what the uninterrupted run's do. */
  static void assertSameContent(Path lakehouse, List<String[]> tables) {
    SparkSession spark = SparkTestSession.get();
    for (String[] t : tables) {
      List<String> keys = List.of(t[1].split(","));
      Dataset<Row> want = spark.read().format("delta").load(sample.lakehouse.resolve(t[0]).toString()).alias("w");
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
}
