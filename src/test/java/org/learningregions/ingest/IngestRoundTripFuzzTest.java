package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.SparkTestSession;
import org.learningregions.TestContexts;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.Tables;

/**
 * The fuzz property that needs Spark: bulk TSV files with random cells (numbers in every notation, {@code :},
 * flags real and unknown, decimal commas, {@code NaN}, {@code 1e400}, blanks, junk), random and invalid region codes,
 * repeated keys and broken lines, ingested for real. Every cell read is accepted or quarantined (counted by the
 * generator, independently of ingest), and every accepted value reads back from its raw line in bronze. Seeded;
 * the seed is printed and {@code -Dfuzz.seed} replays it.
 */
class IngestRoundTripFuzzTest {
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final String[] REGIONS = {"AT11", "AT12", "AT13", "AT21", "BE10", "BE21", "CZ01", "DK01", "SE11",
      "FI1B", "XX99", "at11", " AT22 ", "EU27_2020"};
  private static final String[] VALUES = {":", "12.5", "0", "-0", "3", "100", "101", "-2", "1e2", "12,5", "1,234",
      "NaN", "Infinity", "1e400", "", "abc", "7.25", "0.001"};
  private static final String[] FLAGS = {"", " b", " p", " bu", " e", " zz", " c", " 1"};

  @TempDir
  Path tmp;

  @Test
  void everyCellIsAcceptedOrQuarantinedAndEveryAcceptedValueReadsBack() throws IOException {
    System.out.println("IngestRoundTripFuzzTest seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
    SplittableRandom rnd = new SplittableRandom(SEED);
    List<String> files = new ArrayList<>();
    long cells = 0;
    for (int f = 0; f < 3; f++) {
      int years = 1 + rnd.nextInt(5);
      StringBuilder text = new StringBuilder("freq,unit,sex,age,geo\\TIME_PERIOD");
      for (int y = 0; y < years; y++) {
        text.append('\t').append(2010 + y).append(' ');
      }
      text.append('\n');
      for (int r = 0; r < 40; r++) {
        String region = REGIONS[rnd.nextInt(REGIONS.length)];
        boolean broken = rnd.nextInt(15) == 0;
        int n = broken ? years + 1 : years;
        text.append("A,PC,T,Y25-64,").append(region);
        for (int y = 0; y < n; y++) {
          text.append('\t').append(VALUES[rnd.nextInt(VALUES.length)]).append(FLAGS[rnd.nextInt(FLAGS.length)]);
        }
        text.append('\n');
        // A structurally broken line is one row read (quarantined whole); a good one, one per year.
        cells += broken ? 1 : years;
      }
      Path p = tmp.resolve("fuzz-" + f + ".estat_trng_lfse_04.tsv");
      Files.writeString(p, text, StandardCharsets.UTF_8);
      files.add(p.toString());
    }
    TestContexts.TestRun run = TestContexts.context(tmp.resolve("lh"), Map.of());
    run.ingest(files);
    Lakehouse lake = run.lake();
    long accepted = lake.read(Tables.REGIONAL_INDICATOR).selectExpr("sum(source_rows)").head().getLong(0);
    long quarantined = lake.read(Tables.Q_REGIONAL_INDICATOR).count();
    assertEquals(cells, accepted + quarantined, "every cell accepted or quarantined (seed " + SEED + ")");
    HostileCorpusTest.everyAcceptedValueReadsBackFromItsRawLine(new Lakehouse(SparkTestSession.get(),
        tmp.resolve("lh").toString()));
  }
}
