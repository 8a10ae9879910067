package org.learningregions.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.SparkTestSession;
import org.learningregions.TestContexts;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.TableId;

/** A stage below its input limit plans and runs without generated code, and leaves the session as it found it. */
class ExpressionModeTest {
  private static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  private static final String FACTORY = "spark.sql.codegen.factoryMode";

  @TempDir
  Path tmp;

  @Test
  void onlyListedStagesBelowTheirLimitInterpret() {
    ExpressionMode mode = new ExpressionMode(Map.of("report", 1000L));
    assertTrue(mode.interprets("report", () -> 999));
    assertFalse(mode.interprets("report", () -> 1000));
    assertFalse(mode.interprets("report", () -> 0), "nothing to read: the session (maybe not started) is left alone");
    // An unlisted stage is never sized: its tables may be large and listing them is not free.
    assertFalse(mode.interprets("aggregate", () -> {
      throw new AssertionError("sized a stage without a limit");
    }));
  }

  @Test
  void interpretedWorkHasNoGeneratedCodeAndTheSessionIsRestored() {
    SparkSession spark = SparkTestSession.get();
    spark.conf().set(WHOLE_STAGE, "true");
    spark.conf().unset(FACTORY);
    String factoryBefore = spark.conf().get(FACTORY);
    RunManifest.Stage entry = new RunManifest("r", "test").stage("report");
    AtomicReference<String> plan = new AtomicReference<>();
    long sum = new ExpressionMode(Map.of("report", 1L << 30)).run(() -> spark, entry, () -> 10, () -> {
      assertEquals("NO_CODEGEN", spark.conf().get(FACTORY));
      plan.set(executedPlan(spark));
      return query(spark).head().getLong(0);
    });
    assertEquals(2 * (5 + 6 + 7 + 8 + 9), sum);
    // Spark marks an operator inside generated code with "*(stage id)" in the plan it ran.
    assertFalse(plan.get().contains("*("), plan.get());
    String compiled = executedPlan(spark);
    assertTrue(compiled.contains("*("), "the same query compiles outside: " + compiled);
    assertEquals("true", spark.conf().get(WHOLE_STAGE));
    assertEquals(factoryBefore, spark.conf().get(FACTORY));
    assertTrue(interpreted(entry), entry.notes().toString());

    assertThrows(IllegalStateException.class, () -> new ExpressionMode(Map.of("report", 1L << 30)).run(() -> spark,
        entry, () -> 10, () -> {
          throw new IllegalStateException("stage failed");
        }));
    assertEquals("true", spark.conf().get(WHOLE_STAGE));
    assertEquals(factoryBefore, spark.conf().get(FACTORY));
  }

  @Test
  void theRunnerSizesAStageByItsInputTables() {
    Lakehouse lake = new Lakehouse(SparkTestSession.get(), tmp.toString());
    String factoryBefore = SparkTestSession.get().conf().get(FACTORY);
    TableId input = TableId.gold("probe_input");
    lake.writer("test").overwrite(input, SparkTestSession.get().range(0, 100).toDF());
    long bytes = ExpressionMode.tableBytes(lake, List.of(input));
    assertTrue(bytes > 0, "a written table has bytes");
    for (long limit : new long[] {bytes + 1, bytes}) {
      AtomicReference<String> factory = new AtomicReference<>();
      RunManifest manifest = new RunManifest("r" + limit, "test");
      Stage probe = new Stage() {
        @Override
        public String name() {
          return "probe";
        }

        @Override
        public List<TableId> inputs() {
          return List.of(input);
        }

        @Override
        public List<TableId> outputs() {
          return List.of();
        }

        @Override
        public Object settings() {
          return Map.of();
        }

        @Override
        public StageResult run(StageContext ctx) {
          factory.set(ctx.spark().conf().get(FACTORY));
          return StageResult.DONE;
        }
      };
      new StageRunner(new StageContext(lake, manifest, null, new ExpressionMode(Map.of("probe", limit))), "test",
          true).run(probe);
      assertEquals(limit > bytes ? "NO_CODEGEN" : factoryBefore, factory.get(), "limit " + limit + ", input " + bytes);
    }
  }

  /**
   * Ingest is sized by the bytes of the files it will read, before Spark reads them: interpreted below its limit,
   * compiled at it, and an unchanged file (nothing to read) leaves the mode alone.
   */
  @Test
  void ingestIsSizedByTheFilesItReads() throws Exception {
    // The real file's header and first lines: a few Spark jobs, not the whole file's.
    Path file = tmp.resolve("trng_lfse_04.tsv");
    try (Stream<String> lines = Files.lines(Path.of("src/test/resources/real/trng_lfse_04.tsv"))) {
      Files.write(file, lines.limit(4).toList());
    }
    long bytes = Files.size(file);
    String note = "expressions interpreted, not compiled (input below " + (bytes + 1) + " bytes)";
    TestContexts.TestRun below = TestContexts.context(tmp.resolve("below"),
        Map.of("spark.interpret-below-bytes.ingest", String.valueOf(bytes + 1)));
    below.ingest(List.of(file.toString()));
    assertTrue(below.lastStage().notes().contains(note), below.lastStage().notes().toString());
    assertEquals("1", String.valueOf(below.lastStage().counts().get("files_ingested")));

    TestContexts.TestRun again = TestContexts.context(tmp.resolve("below"),
        Map.of("spark.interpret-below-bytes.ingest", String.valueOf(bytes + 1)));
    again.ingest(List.of(file.toString()));
    assertEquals("0", String.valueOf(again.lastStage().counts().get("files_ingested")));
    assertFalse(interpreted(again.lastStage()), "an unchanged file is not read: " + again.lastStage().notes());

    TestContexts.TestRun at = TestContexts.context(tmp.resolve("at"),
        Map.of("spark.interpret-below-bytes.ingest", String.valueOf(bytes)));
    at.ingest(List.of(file.toString()));
    assertFalse(interpreted(at.lastStage()), at.lastStage().notes().toString());
  }

  /** Whether the stage's manifest entry notes that it ran interpreted. */
  private static boolean interpreted(RunManifest.Stage entry) {
    return entry.notes().stream().anyMatch(n -> n.startsWith("expressions interpreted"));
  }

  /** The plan as run: under adaptive execution the code-generation stages appear once the query has run. */
  private static String executedPlan(SparkSession spark) {
    Dataset<Row> q = query(spark);
    q.collectAsList();
    return q.queryExecution().executedPlan().toString();
  }

  private static Dataset<Row> query(SparkSession spark) {
    return spark.range(10).selectExpr("id * 2 as x").filter("x > 8").selectExpr("sum(x)");
  }
}
