package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;
import org.learningregions.SparkTestSession;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;

/**
 * The hostile-input corpus (src/test/resources/hostile/MANIFEST.tsv): every file, ingested by the CLI one after
 * the other into one lakehouse, ends as its manifest says (accepted, rows quarantined with their reasons, or
 * refused with one error line, exit 1 and nothing written), within 60 seconds and 2 GB of heap each; afterwards the
 * lakehouse holds exactly the accepted rows, and each accepted value reads back from its raw line in bronze.
 */
class HostileCorpusTest {
  /** Per file: the corpus files ingested together may take this times their number. */
  private static final long SECONDS_PER_FILE = 60;
  private static final long HEAP_PER_FILE = 2L << 30;

  @TempDir
  Path tmp;

  /** One manifest row. */
  record Expected(String file, boolean generated, String outcome, long accepted, String expect, boolean alone) {
    boolean refused() {
      return outcome.equals("refused");
    }

    boolean microdata() {
      return file.endsWith(".csv");
    }

    /** The source_file its rows carry: the file name (for the loop directory, the one file in it). */
    String sourceName() {
      return file.equals("loop/") ? "loop-data.estat_trng_lfse_04.tsv" : file;
    }

    Map<String, Long> reasons() {
      Map<String, Long> m = new TreeMap<>();
      if (outcome.equals("quarantined")) {
        for (String part : expect.split(",")) {
          String[] kv = part.split("=");
          m.put(kv[0], Long.parseLong(kv[1]));
        }
      }
      return m;
    }
  }

  static List<Expected> manifest() throws IOException {
    List<Expected> out = new ArrayList<>();
    try (InputStream in = HostileCorpusTest.class.getResourceAsStream("/hostile/MANIFEST.tsv")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank()).skip(1).toList();
      for (String l : lines) {
        String[] c = l.split("\t", -1);
        boolean generated = c[0].startsWith("generated:");
        out.add(new Expected(generated ? c[0].substring("generated:".length()) : c[0], generated, c[1],
            Long.parseLong(c[2]), c[3], c[4].equals("alone")));
      }
    }
    return out;
  }

  /**
   * The most heap in use right after a garbage collection while {@code run} ran, above what was live before it: the
   * live data it needed (a pool's peak counts garbage not yet collected, and with the suite's 3 GB heap the
   * collector lets that grow; the suite's JVM also holds other tests' data, which is not this file's).
   */
  private static long liveHeapPeak(Runnable run) {
    System.gc();
    long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long[] max = {0};
    NotificationListener listener = (n, h) -> {
      if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
        synchronized (max) {
          max[0] = Math.max(max[0], used);
        }
      }
    };
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    gcs.forEach(g -> ((NotificationEmitter) g).addNotificationListener(listener, null, null));
    try {
      run.run();
      System.gc();
    } finally {
      gcs.forEach(g -> {
        try {
          ((NotificationEmitter) g).removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException e) {
          throw new IllegalStateException(e);
        }
      });
    }
    synchronized (max) {
      return Math.max(0, max[0] - before);
    }
  }

  @Test
  void everyFileEndsAsItsManifestSaysAndTheLakehouseHoldsExactlyTheAcceptedRows() throws IOException {
    Path corpus = Path.of("src/test/resources/hostile");
    Path inputs = Files.createDirectories(tmp.resolve("inputs"));
    Path lake = tmp.resolve("lh");
    List<Expected> expected = manifest();
    assertTrue(expected.size() >= 29, "the corpus is all there");
    Map<Expected, Path> paths = new LinkedHashMap<>();
    for (Expected e : expected) {
      paths.put(e, e.generated() ? HostileFiles.write(inputs, e.file())
          : Files.copy(corpus.resolve(e.file()), inputs.resolve(e.file())));
    }
    List<String> failures = new ArrayList<>();
    List<Expected> together = expected.stream().filter(e -> !e.alone()).toList();
    check(together, together.stream().map(paths::get).toList(), lake, failures);
    for (Expected e : expected) {
      if (e.alone()) {
        check(List.of(e), List.of(paths.get(e)), lake, failures);
      }
    }
    assertEquals(List.of(), failures);

    Lakehouse lh = new Lakehouse(SparkTestSession.get(), lake.toString());
    long acceptedStatistical = 0;
    long acceptedMicrodata = 0;
    for (Expected e : expected) {
      TableId silver = e.microdata() ? Tables.LEARNING_PARTICIPATION : Tables.REGIONAL_INDICATOR;
      TableId quarantine = e.microdata() ? Tables.Q_LEARNING_PARTICIPATION : Tables.Q_REGIONAL_INDICATOR;
      TableId bronze = e.microdata() ? Tables.BRONZE_MICRODATA : Tables.BRONZE_EUROSTAT;
      String mine = "source_file = '" + e.sourceName().replace("'", "''") + "'";
      assertEquals(e.accepted(), lh.read(silver).filter(mine).count(), e.file() + ": rows accepted");
      Map<String, Long> reasons = new TreeMap<>();
      lh.read(quarantine).filter(mine).groupBy("reason").count().collectAsList()
          .forEach(row -> reasons.put(row.getString(0), row.getLong(1)));
      assertEquals(e.reasons(), reasons, e.file() + ": rows quarantined by reason");
      if (e.refused()) {
        assertEquals(0, lh.read(bronze).filter(mine).count(), e.file() + ": nothing of a refused file in bronze");
      }
      if (e.microdata()) {
        acceptedMicrodata += e.accepted();
      } else {
        acceptedStatistical += e.accepted();
      }
    }
    assertEquals(acceptedStatistical, lh.read(Tables.REGIONAL_INDICATOR).count(), "silver holds only these rows");
    assertEquals(acceptedMicrodata, lh.read(Tables.LEARNING_PARTICIPATION).count());
    everyAcceptedValueReadsBackFromItsRawLine(lh);
    assertEquals(0.0, Double.compare(lh.read(Tables.REGIONAL_INDICATOR).filter("region_code = 'BE32'").head()
        .<Double>getAs("value"), 0.0), "-0 is stored as 0");
  }

  /** One CLI ingest of {@code files}: its exit code, error lines, time and heap as {@code expected} say. */
  private static void check(List<Expected> expected, List<Path> files, Path lake, List<String> failures) {
    List<String> args = new ArrayList<>(List.of("ingest", "--conf", "conf/local.conf", "-Dlakehouse=" + lake));
    files.forEach(f -> args.add(f.toString()));
    CliRunner.Result[] result = new CliRunner.Result[1];
    long start = System.nanoTime();
    long heap = liveHeapPeak(() -> result[0] = CliRunner.run(args.toArray(String[]::new)));
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    CliRunner.Result r = result[0];
    String what = expected.size() == 1 ? expected.get(0).file() : expected.size() + " files together";
    System.out.printf("hostile corpus: %-50s exit %d, %3d s, live heap added at most %4d MB%n", what, r.exitCode(),
        seconds, heap >> 20);
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
    String where = what + ": " + r.err();
    if (seconds >= SECONDS_PER_FILE * expected.size() || heap >= HEAP_PER_FILE) {
      failures.add(what + " took " + seconds + " s and " + (heap >> 20) + " MB of heap");
    }
    if (r.err().contains("\tat ")) {
      failures.add("stack trace without --verbose: " + where);
    }
    Expected first = expected.get(0);
    if (first.refused()) {
      if (r.exitCode() != 1 || errors.size() != 1 || !errors.get(0).contains(first.expect())
          || !errors.get(0).contains(files.get(0).getFileName().toString())) {
        failures.add("expected one error line with '" + first.expect() + "' and exit 1: " + where);
      }
    } else if (r.exitCode() != 0 || !errors.isEmpty()) {
      failures.add("expected exit 0: " + where);
    }
  }

  /**
   * The round trip: each accepted statistical row's raw line (bronze, by source file and line) holds, under the
   * row's year in the file's header, the row's value; each microdata row's raw line holds its respondent id.
   */
  static void everyAcceptedValueReadsBackFromItsRawLine(Lakehouse lh) {
    Dataset<Row> bronze = lh.read(Tables.BRONZE_EUROSTAT);
    Map<String, String> headers = new LinkedHashMap<>();
    bronze.filter("line_no = 1").collectAsList().forEach(r -> headers.put(r.getAs("source_file"), r.getAs("raw")));
    List<Row> rows = lh.read(Tables.REGIONAL_INDICATOR).alias("s").join(bronze.alias("b"),
        bronze.col("source_file").equalTo(org.apache.spark.sql.functions.col("s.source_file"))
            .and(bronze.col("line_no").equalTo(org.apache.spark.sql.functions.col("s.source_line"))), "left")
        .select("s.source_file", "s.year", "s.value", "b.raw").collectAsList();
    assertFalse(rows.isEmpty());
    for (Row r : rows) {
      String file = r.getString(0);
      assertTrue(r.get(3) != null, file + ": accepted row without its raw line");
      List<String> years = Arrays.stream(headers.get(file).replace("\uFEFF", "").split("\t", -1))
          .map(String::trim).toList();
      String cell = r.getString(3).split("\t", -1)[years.indexOf(String.valueOf(r.getInt(1)))].trim();
      String token = cell.split("\\s+")[0];
      if (token.equals(":")) {
        assertTrue(r.isNullAt(2), file + " " + r.getInt(1) + ": ':' is a missing value: " + r.getString(3));
      } else {
        double raw = Double.parseDouble(token);
        assertEquals(raw, r.getDouble(2), 0.0, file + " " + r.getInt(1) + ": " + r.getString(3));
      }
    }
    if (!lh.exists(Tables.LEARNING_PARTICIPATION)) {
      return;
    }
    List<Row> people = lh.read(Tables.LEARNING_PARTICIPATION).alias("s").join(lh.read(Tables.BRONZE_MICRODATA)
        .alias("b"), org.apache.spark.sql.functions.expr("b.source_file = s.source_file and b.line_no = s.source_line"),
        "left").select("s.respondent_id", "b.raw").collectAsList();
    for (Row r : people) {
      assertTrue(r.get(1) != null && Arrays.asList(r.getString(1).split(",")).contains(r.getString(0)),
          r.getString(0) + ": " + r.get(1));
    }
  }
}
