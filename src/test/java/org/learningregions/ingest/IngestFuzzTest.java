package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property-based fuzzing of what reads a file before Spark does: the format sniffer with its limits, the header
 * parsers, line splitting, UTF-8 validation and CSV header splitting. Inputs are random bytes and random mutations
 * (bit flips, inserted separators, quotes, NUL and invalid bytes, cuts, repeated lines, gzip and cut gzip) of the
 * hostile corpus and of valid files of every format. For every input: the outcome is an {@link InputFile} or the
 * project's one-line {@link InputFileException} naming the file, never another exception, and within
 * {@value #SECONDS_PER_INPUT} seconds. The shared JUnit 6 platform has no working jqwik engine, so the generator and
 * shrinking-free runner are these few lines; the seed is printed and {@code -Dfuzz.seed} replays a run.
 *
 * <p>Bounded: {@code -Dfuzz.seconds} (default 20) split over the properties; {@code bench/fuzz.sh} runs it longer.
 */
@Tag("fast")
class IngestFuzzTest {
  private static final long SECONDS_PER_INPUT = 10;
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final long BUDGET_MS = Long.getLong("fuzz.seconds", 20) * 1000 / 4;
  private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "fuzz-worker");
    t.setDaemon(true);
    return t;
  });
  private static final byte[] SPECIAL = {'\t', ',', '\n', '\r', '"', ' ', ':', '\\', 0, (byte) 0xff, (byte) 0xc3,
      (byte) 0xef, (byte) 0xbb, (byte) 0xbf, '.', '-', 'e'};

  @TempDir
  static Path tmp;

  @AfterAll
  static void stop() {
    WORKER.shutdownNow();
  }

  private static List<byte[]> seeds() throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/hostile"))) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    }
    out.add(("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
        + "DATAFLOW,OECD.CFE.EDS:DSD_REG_ECO@DF_GDP(2.0),I,AT11,2015,2.5,A\n").getBytes(StandardCharsets.UTF_8));
    out.add(("\"Region\",\"REG_ID\",\"TIME\",\"Time\",\"Value\",\"Flag Codes\",\"Flags\"\n"
        + "\"Burgenland\",\"AT11\",\"2015\",\"2015\",\"2.5\",\"\",\"\"\n").getBytes(StandardCharsets.ISO_8859_1));
    out.add(("city,country,region_code,year_joined,source\nMelton,AU,AU2,2015,\"UIL (2015), \"\"cities\"\"\"\n")
        .getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private static byte[] mutate(byte[] seed, SplittableRandom rnd) throws IOException {
    byte[] b = seed.clone();
    int edits = 1 + rnd.nextInt(8);
    for (int i = 0; i < edits; i++) {
      int at = b.length == 0 ? 0 : rnd.nextInt(b.length);
      switch (rnd.nextInt(8)) {
        case 0 -> {
          if (b.length > 0) {
            b[at] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
        case 1 -> b = insert(b, at, new byte[] {SPECIAL[rnd.nextInt(SPECIAL.length)]});
        case 2 -> b = java.util.Arrays.copyOf(b, at);
        case 3 -> {
          int len = Math.min(b.length - at, 1 + rnd.nextInt(80));
          byte[] part = java.util.Arrays.copyOfRange(b, at, at + len);
          b = insert(b, at, part);
        }
        case 4 -> {
          byte[] noise = new byte[1 + rnd.nextInt(16)];
          rnd.nextBytes(noise);
          b = insert(b, at, noise);
        }
        case 5 -> b = insert(b, at, "\t1e400 \t NaN\t-0 \t: c\t12,5\t".getBytes(StandardCharsets.UTF_8));
        case 6 -> {
          // Amplify: a part repeated up to 400 times, to reach the line, column and ratio limits.
          int len = Math.min(b.length - at, 1 + rnd.nextInt(30));
          byte[] part = java.util.Arrays.copyOfRange(b, at, at + len);
          ByteArrayOutputStream more = new ByteArrayOutputStream();
          for (int r = rnd.nextInt(400); r >= 0; r--) {
            more.write(part);
          }
          b = insert(b, at, more.toByteArray());
        }
        default -> {
          if (b.length > 0) {
            b[at] = SPECIAL[rnd.nextInt(SPECIAL.length)];
          }
        }
      }
    }
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] part) {
    byte[] out = new byte[b.length + part.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(part, 0, out, at, part.length);
    System.arraycopy(b, at, out, at + part.length, b.length - at);
    return out;
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  /** Runs {@code task} on the worker within the per-input time bound; a hang fails with the input's seed. */
  private static <T> T bounded(java.util.concurrent.Callable<T> task, String input) throws Exception {
    Future<T> f = WORKER.submit(task);
    try {
      return f.get(SECONDS_PER_INPUT, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError("more than " + SECONDS_PER_INPUT + " s on " + input + " (seed " + SEED + ")");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw new AssertionError("error on " + input + " (seed " + SEED + ")", e.getCause());
    }
  }

  @Test
  void theSnifferAndHeaderParsersAcceptOrRefuseInOneLineWithinTheTimeBound() throws Exception {
    System.out.println("IngestFuzzTest seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
    SplittableRandom rnd = new SplittableRandom(SEED);
    List<byte[]> seeds = seeds();
    // Limits small enough for a mutation to reach them.
    IngestLimits limits = new IngestLimits(4096, 64, 256 << 10, 50);
    Configuration hadoop = new Configuration();
    long end = System.currentTimeMillis() + BUDGET_MS;
    int inputs = 0;
    int accepted = 0;
    java.util.Map<FileProblem, Integer> refused = new java.util.EnumMap<>(FileProblem.class);
    while (System.currentTimeMillis() < end) {
      byte[] bytes;
      if (rnd.nextInt(10) == 0) {
        bytes = new byte[rnd.nextInt(2048)];
        rnd.nextBytes(bytes);
      } else {
        bytes = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      }
      boolean gz = rnd.nextInt(5) == 0;
      if (gz) {
        bytes = gzip(bytes);
        if (rnd.nextBoolean()) {
          bytes = mutate(bytes, rnd);
        }
      }
      String name = "fuzz-" + inputs + (gz ? ".estat_trng_lfse_04.tsv.gz" : ".estat_trng_lfse_04.tsv");
      Path p = tmp.resolve(name);
      Files.write(p, bytes);
      String input = name + " #" + inputs;
      try {
        bounded(() -> {
          InputFile f = FileSniffer.sniff(p.toString(), null, MicrodataColumns.identity(), hadoop, 1024, 1024,
              limits);
          InputPlan.checkHeader(f, MicrodataColumns.identity());
          return f;
        }, input);
        accepted++;
      } catch (InputFileException e) {
        assertTrue(e.getMessage().startsWith(p.toString()) && !e.getMessage().contains("\n"),
            "one line naming the file: " + e.getMessage() + " (seed " + SEED + ", " + input + ")");
        refused.merge(e.problem(), 1, Integer::sum);
      } catch (Exception e) {
        throw new AssertionError("not the project's one-line error on " + input + " (seed " + SEED + "): " + e, e);
      }
      Files.delete(p);
      inputs++;
    }
    System.out.println("IngestFuzzTest sniffer: " + inputs + " inputs, " + accepted + " accepted, refused " + refused);
    assertTrue(inputs > 100, "the budget covers at least a hundred inputs");
  }

  @Test
  void lineSplittingAgreesWithTheJdkOnRandomBytes() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    long end = System.currentTimeMillis() + BUDGET_MS;
    int n = 0;
    while (System.currentTimeMillis() < end) {
      byte[] b = new byte[rnd.nextInt(300)];
      for (int i = 0; i < b.length; i++) {
        b[i] = rnd.nextInt(4) == 0 ? SPECIAL[rnd.nextInt(4)] : (byte) rnd.nextInt(256);
      }
      List<String> expected = new ArrayList<>();
      // ISO-8859-1 maps every byte to one char: the JDK's line rules over the same bytes.
      try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(b),
          StandardCharsets.ISO_8859_1))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          expected.add(l);
        }
      }
      LineIterator it = new LineIterator(new ByteArrayInputStream(b), -1);
      List<String> got = new ArrayList<>();
      while (it.next()) {
        got.add(new String(it.bytes(), 0, it.length(), StandardCharsets.ISO_8859_1));
      }
      assertEquals(expected, got, "seed " + SEED + ", input " + n);
      n++;
    }
  }

  @Test
  void utf8ValidationAgreesWithTheJdkDecoder() {
    SplittableRandom rnd = new SplittableRandom(SEED + 2);
    long end = System.currentTimeMillis() + BUDGET_MS;
    int n = 0;
    while (System.currentTimeMillis() < end) {
      byte[] b = new byte[rnd.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(128) : 0x80 + rnd.nextInt(128));
      }
      boolean jdkValid;
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
        jdkValid = true;
      } catch (CharacterCodingException e) {
        jdkValid = false;
      }
      assertEquals(jdkValid, Utf8.firstInvalid(b, 0, b.length) < 0, "seed " + SEED + ", input " + n);
      n++;
    }
  }

  @Test
  void csvHeaderSplittingRoundTripsQuotedFields() {
    SplittableRandom rnd = new SplittableRandom(SEED + 3);
    long end = System.currentTimeMillis() + BUDGET_MS;
    String alphabet = "ab ,\"\t;é\u00ff1";
    while (System.currentTimeMillis() < end) {
      List<String> fields = new ArrayList<>();
      int k = 1 + rnd.nextInt(6);
      for (int i = 0; i < k; i++) {
        StringBuilder f = new StringBuilder();
        int len = rnd.nextInt(6);
        for (int j = 0; j < len; j++) {
          f.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        fields.add(f.toString().trim());
      }
      String line = String.join(",", fields.stream().map(f -> "\"" + f.replace("\"", "\"\"") + "\"").toList());
      assertEquals(fields, CsvHeader.split(line), "seed " + SEED + ": " + line);
    }
  }
}
