package org.learningregions.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The sample's EU-LFS employment breakdowns, in the layouts of the real extra files (pre-2023 bulk TSV, years
 * descending): employment by ISCED attainment (lfst_r_lfe2eedu: ED5-8 and TOTAL of the employed 25-64) and by NACE
 * section (lfst_r_lfe2en2: ten sections and TOTAL of the employed 15+), so the default pipeline computes the
 * tertiary share of the employed, the knowledge-intensive share and the Lilien index as the real study does. Drawn
 * from their own random stream: the other sample files do not change.
 */
final class LabourMarketFiles {
  /** NACE Rev. 2 sections of lfst_r_lfe2en2 (NRP, no response, left out) and their typical shares of employment. */
  static final String[] SECTIONS = {"A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"};
  private static final double[] SHARES = {0.04, 0.17, 0.07, 0.24, 0.03, 0.03, 0.01, 0.11, 0.24, 0.06};
  /** The employed aged 25-64 as a share of the employed aged 15+. */
  private static final double CORE_AGE_SHARE = 0.82;

  private final SampleSpec spec;

  LabourMarketFiles(SampleSpec spec) {
    this.spec = spec;
  }

  void writeByEducation(Path file, List<SampleRegion> regions) throws IOException {
    SplittableRandom rnd = new SplittableRandom(spec.seed() ^ 0xED0CA7EL);
    List<Integer> yrs = SampleFileWriters.publishedYears(spec, false);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(SampleFileWriters.header("unit,sex,age,isced11,geo\\time", yrs));
      for (SampleRegion r : regions) {
        // The employed are more often tertiary-educated than the population: attainment plus a few points.
        double premium = 6 + 2 * rnd.nextGaussian();
        StringBuilder total = new StringBuilder("THS,T,Y25-64,TOTAL," + r.nuts.code());
        StringBuilder tertiary = new StringBuilder("THS,T,Y25-64,ED5-8," + r.nuts.code());
        for (int y : yrs) {
          int t = y - spec.firstYear() + 1;
          double employed = r.employmentThousand[t] * CORE_AGE_SHARE;
          double share = Math.min(90, Math.max(3, r.tertiary[t] + premium + 0.8 * rnd.nextGaussian())) / 100;
          total.append('\t').append(String.format(Locale.ROOT, "%.1f ", employed));
          tertiary.append('\t').append(String.format(Locale.ROOT, "%.1f ", employed * share));
        }
        w.write(tertiary.append('\n').toString());
        w.write(total.append('\n').toString());
      }
    }
  }

  void writeBySector(Path file, List<SampleRegion> regions) throws IOException {
    SplittableRandom rnd = new SplittableRandom(spec.seed() ^ 0x2ACEL);
    List<Integer> yrs = SampleFileWriters.publishedYears(spec, false);
    int n = spec.lastYear() - spec.firstYear() + 1;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(SampleFileWriters.header("unit,nace_r2,age,geo\\time", yrs));
      for (SampleRegion r : regions) {
        // Each section's weight drifts from year to year: the reallocation the Lilien index measures.
        double[][] weight = new double[SECTIONS.length][n + 1];
        for (int i = 0; i < SECTIONS.length; i++) {
          weight[i][1] = SHARES[i] * Math.exp(0.25 * rnd.nextGaussian());
          for (int t = 2; t <= n; t++) {
            weight[i][t] = weight[i][t - 1] * Math.exp(0.02 + 0.03 * rnd.nextGaussian());
          }
        }
        StringBuilder[] rows = new StringBuilder[SECTIONS.length + 1];
        for (int i = 0; i < SECTIONS.length; i++) {
          rows[i] = new StringBuilder("THS," + SECTIONS[i] + ",Y_GE15," + r.nuts.code());
        }
        rows[SECTIONS.length] = new StringBuilder("THS,TOTAL,Y_GE15," + r.nuts.code());
        for (int y : yrs) {
          int t = y - spec.firstYear() + 1;
          double sum = 0;
          for (int i = 0; i < SECTIONS.length; i++) {
            sum += weight[i][t];
          }
          double total = 0;
          for (int i = 0; i < SECTIONS.length; i++) {
            double v = Math.round(r.employmentThousand[t] * weight[i][t] / sum * 10) / 10.0;
            total += v;
            rows[i].append('\t').append(String.format(Locale.ROOT, "%.1f ", v));
          }
          rows[SECTIONS.length].append('\t').append(String.format(Locale.ROOT, "%.1f ", total));
        }
        for (StringBuilder row : rows) {
          w.write(row.append('\n').toString());
        }
      }
    }
  }
}
