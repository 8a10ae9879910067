package org.learningregions.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliProcess;
import org.learningregions.SamplePipeline;

/**
 * Kill-anywhere soak: the whole pipeline on the shared sample, run in its own JVM and killed with SIGKILL at
 * {@code soak.kills} (default 20) seeded random points spread over every stage. Each kill point names a stage and a
 * random moment inside it: a delay after the stage logs that it runs, drawn uniformly up to 90% of the time the stage
 * took in the shared sample's uninterrupted run, so kills land in late commits as well as early reads. The kills are
 * split into rounds of about ten; a round kills each stage in pipeline order one or more times, every launch on the
 * same lakehouse resuming where the last was killed (so a stage is also killed while it redoes the work a kill cut
 * short), and ends with a launch left to run to the end, whose lakehouse must hold the uninterrupted run's content
 * (the shared sample pipeline's); the next round starts on a fresh lakehouse. After every kill each Delta table must
 * read at a committed version. The seed and the stage each kill hit are printed; {@code -Dsoak.seed} replays a
 * schedule (the moments are wall-clock, so the same seed hits the same stages, not the same instructions).
 *
 * <p>Why several kills per stage in a round rather than one: each launch after a kill redoes the killed stage's
 * uncommitted work, so a schedule of one kill per stage per round paid for a whole pipeline every six kills (about
 * 1,000 s for twenty); repeated kills in a stage cost only the part they cut short.
 */
@Tag("slow")
class KillAnywhereSoakTest {
  private static final List<String> STAGES = List.of("ingest", "aggregate", "build-panel", "index", "fit", "report");
  private static final Pattern RUNNING = Pattern.compile("\\b(ingest|aggregate|build-panel|index|fit|report): "
      + "(running|unchanged)");
  private static final long SEED = Long.getLong("soak.seed", System.nanoTime());
  private static final int KILLS = Integer.getInteger("soak.kills", 20);
  private static final int KILLS_PER_ROUND = 10;
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
    return CliProcess.start(log, "pipeline", "--conf", "conf/local.conf",
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

  /** Seconds each stage took in the shared sample's uninterrupted run (its run manifest). */
  private static Map<String, Double> stageSeconds(SamplePipeline sample) throws IOException {
    Map<String, Double> seconds = new LinkedHashMap<>();
    try (Stream<Path> runs = Files.list(sample.lakehouse.resolve("_runs"))) {
      Path manifest = runs.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      for (JsonNode stage : new ObjectMapper().readTree(manifest.toFile()).path("stages")) {
        seconds.put(stage.path("stage").asText(), stage.path("seconds").asDouble());
      }
    }
    assertTrue(seconds.keySet().containsAll(STAGES), "the sample run's manifest times every stage: " + seconds);
    return seconds;
  }

  /** The stages of one round's kills, in pipeline order, spread as evenly as the count allows. */
  static List<String> roundTargets(int kills) {
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < kills; i++) {
      targets.add(STAGES.get(i * STAGES.size() / kills));
    }
    return targets;
  }

  @Test
  void twentyKillsAnywhereLeaveReadableTablesAndRerunsEndWithTheUninterruptedContent() throws Exception {
    SamplePipeline sample = SamplePipeline.get();
    CrashAndConcurrencyTest.sample = sample;
    Map<String, Double> seconds = stageSeconds(sample);
    System.out.println("KillAnywhereSoakTest seed " + SEED + " (replay with -Dsoak.seed=" + SEED + ")");
    SplittableRandom rnd = new SplittableRandom(SEED);
    Map<String, Integer> hits = new LinkedHashMap<>();
    int rounds = Math.max(1, (KILLS + KILLS_PER_ROUND - 1) / KILLS_PER_ROUND);
    int kills = 0;
    int launches = 0;
    long started = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      Path lakehouse = tmp.resolve("soak-" + round);
      List<String> targets = roundTargets(KILLS * (round + 1) / rounds - KILLS * round / rounds);
      for (int i = 0; i < targets.size(); ) {
        String target = targets.get(i);
        long delayMs = rnd.nextLong(Math.max(1, (long) (900 * seconds.get(target))));
        Path log = tmp.resolve("launch-" + launches++ + ".log");
        long launched = System.nanoTime();
        Process p = launch(sample, lakehouse, log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (p.isAlive() && !reached(log, target) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        while (p.isAlive() && System.nanoTime() < until) {
          Thread.sleep(10);
        }
        if (!p.isAlive()) {
          // The launch ended before the kill (what was left of the pipeline was quicker than the delay): it ran to
          // the end, so it must hold the uninterrupted content; the kill is drawn again on a fresh lakehouse.
          assertEquals(0, p.exitValue(), "a rerun after kills succeeds: " + Files.readString(log));
          CrashAndConcurrencyTest.assertSameContent(lakehouse, COMPARED);
          System.out.printf("soak: round %d ended before its %s kill; that kill again on a fresh lakehouse%n",
              round, target);
          lakehouse = tmp.resolve("soak-" + round + "-" + launches);
          continue;
        }
        String stage = lastStage(log);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        long killed = System.nanoTime();
        kills++;
        i++;
        hits.merge(stage, 1, Integer::sum);
        List<String> tables = CrashAndConcurrencyTest.readableTables(lakehouse);
        System.out.printf("soak kill %2d: %s + %d ms -> killed in %s after %.1f s; %d tables read at committed "
            + "versions (%.1f s)%n", kills, target, delayMs, stage, (killed - launched) / 1e9, tables.size(),
            (System.nanoTime() - killed) / 1e9);
      }
      long completing = System.nanoTime();
      completes(sample, lakehouse, tmp.resolve("complete-" + round + ".log"));
      launches++;
      System.out.printf("soak: round %d's rerun ran to the end with the uninterrupted content (%.1f s with the "
          + "checks)%n", round, (System.nanoTime() - completing) / 1e9);
    }
    System.out.printf("soak: %d kills in %d launches, %d rounds, %.0f s; stages hit %s%n", kills, launches, rounds,
        (System.nanoTime() - started) / 1e9, hits);
    assertEquals(KILLS, kills);
    assertTrue(hits.keySet().containsAll(List.of("ingest", "aggregate", "build-panel", "fit", "report")),
        "kills spread over the stages: " + hits);
  }
}
