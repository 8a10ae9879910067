package org.learningregions.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.SamplePipeline;

/**
 * Kill-anywhere soak: the whole pipeline on the shared sample, run in its own JVM and killed with SIGKILL at
 * {@code soak.kills} (default 20) seeded random points spread over every stage. Each kill point names a stage and a
 * random delay after that stage starts; a round kills once in each stage in pipeline order, every launch on the same
 * lakehouse resuming where the last was killed, and ends with a launch left to run to the end, whose lakehouse must
 * hold the uninterrupted run's content (the shared sample pipeline's); the next round starts on a fresh lakehouse.
 * After every kill each Delta table must read at a committed version. The seed and the stage each kill hit
 * are printed; {@code -Dsoak.seed} replays a schedule (the moments are wall-clock, so the same seed hits the same
 * stages, not the same instructions).
 */
@Tag("slow")
class KillAnywhereSoakTest {
  private static final List<String> STAGES = List.of("ingest", "aggregate", "build-panel", "index", "fit", "report");
  private static final Pattern RUNNING = Pattern.compile("\\b(ingest|aggregate|build-panel|index|fit|report): "
      + "(running|unchanged)");
  private static final long SEED = Long.getLong("soak.seed", System.nanoTime());
  private static final int KILLS = Integer.getInteger("soak.kills", 20);
  /** Beyond the silver and bronze tables of the crash test: the gold tables the pipeline derives. */
  private static final List<String[]> COMPARED = new ArrayList<>(CrashAndConcurrencyTest.COMPARED);

  static {
    COMPARED.add(new String[] {"gold/learning_rates", "survey,region_code,year,measure,breakdown,breakdown_value",
        "rate,se,n"});
    COMPARED.add(new String[] {"gold/analysis_panel", "region_code,year",
        "learning_rate,productivity_eur,log_productivity_eur"});
  }

  @TempDir
  Path tmp;

  private Process launch(SamplePipeline sample, Path lakehouse, Path log) throws Exception {
    return CrashAndConcurrencyTest.launchCli(log, "pipeline", "--conf", "conf/local.conf",
        "-Dlakehouse=" + lakehouse, "-Dreports=" + lakehouse.resolveSibling(lakehouse.getFileName() + "-reports"),
        "--input", sample.inputs.toString());
  }

  /** The stage the log shows running last, or "start-up" before the first. */
  private static String lastStage(Path log) throws IOException {
    String last = "start-up";
    Matcher m = RUNNING.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
    while (m.find()) {
      last = m.group(1);
    }
    return last;
  }

  private static boolean reached(Path log, String stage) throws IOException {
    Matcher m = RUNNING.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
    while (m.find()) {
      if (STAGES.indexOf(m.group(1)) >= STAGES.indexOf(stage)) {
        return true;
      }
    }
    return false;
  }

  /** A launch left to run to the end: the rerun that completes a round, with the uninterrupted run's content. */
  private void completes(SamplePipeline sample, Path lakehouse, Path log) throws Exception {
    Process p = launch(sample, lakehouse, log);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the rerun ends");
    assertEquals(0, p.exitValue(), "a rerun after kills succeeds: " + Files.readString(log));
    CrashAndConcurrencyTest.readableTables(lakehouse);
    CrashAndConcurrencyTest.assertSameContent(lakehouse, COMPARED);
  }

  @Test
  void twentyKillsAnywhereLeaveReadableTablesAndRerunsEndWithTheUninterruptedContent() throws Exception {
    SamplePipeline sample = SamplePipeline.get();
    CrashAndConcurrencyTest.sample = sample;
    System.out.println("KillAnywhereSoakTest seed " + SEED + " (replay with -Dsoak.seed=" + SEED + ")");
    SplittableRandom rnd = new SplittableRandom(SEED);
    Map<String, Integer> hits = new LinkedHashMap<>();
    int round = 0;
    Path lakehouse = tmp.resolve("soak-0");
    int kills = 0;
    int launches = 0;
    long started = System.nanoTime();
    // Rounds: one kill in each stage, in pipeline order (each launch resumes where the last was killed), then a
    // launch that runs to the end and must leave the uninterrupted content; then a fresh lakehouse.
    while (kills < KILLS) {
      String target = STAGES.get(kills % STAGES.size());
      long delayMs = rnd.nextLong(3000);
      Path log = tmp.resolve("launch-" + launches++ + ".log");
      Process p = launch(sample, lakehouse, log);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (p.isAlive() && !reached(log, target) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (p.isAlive()) {
        Thread.sleep(delayMs);
      }
      if (!p.isAlive()) {
        // The run ended before the kill (its stages were quicker than the delay): it completed the round early.
        assertEquals(0, p.exitValue(), "a rerun after kills succeeds: " + Files.readString(log));
        CrashAndConcurrencyTest.assertSameContent(lakehouse, COMPARED);
        System.out.printf("soak: round %d ended before its %s kill; retried on a fresh lakehouse%n", round, target);
        lakehouse = tmp.resolve("soak-" + ++round);
        continue;
      }
      String stage = lastStage(log);
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(137, p.exitValue(), "killed by SIGKILL");
      kills++;
      hits.merge(stage, 1, Integer::sum);
      List<String> tables = CrashAndConcurrencyTest.readableTables(lakehouse);
      System.out.printf("soak kill %2d: %s + %d ms -> killed in %s; %d tables read at committed versions%n", kills,
          target, delayMs, stage, tables.size());
      if (kills % STAGES.size() == 0 || kills == KILLS) {
        completes(sample, lakehouse, tmp.resolve("complete-" + round + ".log"));
        launches++;
        System.out.printf("soak: round %d's rerun ran to the end with the uninterrupted content%n", round);
        lakehouse = tmp.resolve("soak-" + ++round);
      }
    }
    System.out.printf("soak: %d kills in %d launches, %d rounds, %.0f s; stages hit %s%n", kills, launches, round,
        (System.nanoTime() - started) / 1e9, hits);
    assertEquals(KILLS, kills);
    assertTrue(hits.keySet().containsAll(List.of("ingest", "aggregate", "build-panel", "fit", "report")),
        "kills spread over the stages: " + hits);
  }
}
