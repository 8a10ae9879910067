package org.learningregions.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The sample's files in the formats the real sources use: Eurostat bulk TSV (GDP, employment, learning rates,
 * tertiary attainment, population), OECD Data Explorer SDMX-CSV (population), survey microdata CSV with a stratified
 * cluster design, and the learning-city registry. {@link SampleGenerator} draws the series; this class writes them.
 */
final class SampleFileWriters {
  private final SampleSpec spec;

  SampleFileWriters(SampleSpec spec) {
    this.spec = spec;
  }

  // Eurostat bulk TSV: first cell "dims\TIME_PERIOD", one column per year, every cell "value flags" or ": flags".
  void writeGdp(Path file, List<SampleRegion> regions) throws IOException {
    // Current (2023+) header, ascending years, with a frequency dimension.
    List<Integer> yrs = publishedYears(true);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header("freq,unit,geo\\TIME_PERIOD", yrs));
      for (String unit : List.of("MIO_EUR", "MIO_PPS")) {
        Map<String, double[]> countryTotals = new LinkedHashMap<>();
        for (SampleRegion r : regions) {
          double[] v = unit.equals("MIO_EUR") ? r.gdpEur : r.gdpPps;
          double[] tot = countryTotals.computeIfAbsent(r.nuts.country(), k -> new double[v.length]);
          for (int t = 0; t < v.length; t++) {
            tot[t] += v[t];
          }
        }
        for (Map.Entry<String, double[]> e : countryTotals.entrySet()) {
          StringBuilder sb = new StringBuilder("A," + unit + "," + e.getKey());
          for (int y : yrs) {
            sb.append('\t').append(cell(String.format(Locale.ROOT, "%.0f", e.getValue()[y - spec.firstYear() + 1]),
                ""));
          }
          w.write(sb.append('\n').toString());
        }
        for (SampleRegion r : regions) {
          double[] v = unit.equals("MIO_EUR") ? r.gdpEur : r.gdpPps;
          StringBuilder sb = new StringBuilder("A," + unit + "," + r.nuts.code());
          for (int y : yrs) {
            int t = y - spec.firstYear() + 1;
            String flag = y == spec.lastYear() ? "p" : "";
            sb.append('\t').append(r.gdpMissing[t] ? ": " : cell(String.format(Locale.ROOT, "%.0f", v[t]), flag));
          }
          w.write(sb.append('\n').toString());
        }
      }
    }
  }

  void writeEmployment(Path file, List<SampleRegion> regions) throws IOException {
    // Older (pre-2023) header, descending years, no frequency dimension: both layouts occur in the wild.
    List<Integer> yrs = publishedYears(false);
    int breakYear = spec.firstYear() + (spec.lastYear() - spec.firstYear()) / 2;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header("unit,sex,age,geo\\time", yrs));
      for (SampleRegion r : regions) {
        StringBuilder sb = new StringBuilder("THS,T,Y_GE15," + r.nuts.code());
        for (int y : yrs) {
          int t = y - spec.firstYear() + 1;
          String flag = y == breakYear && r.nuts.country().equals("DE") ? "b" : "";
          sb.append('\t').append(cell(String.format(Locale.ROOT, "%.1f", r.employmentThousand[t]), flag));
        }
        w.write(sb.append('\n').toString());
      }
    }
  }

  void writeLearning(Path file, List<SampleRegion> regions) throws IOException {
    List<Integer> yrs = publishedYears(true);
    int breakYear = spec.firstYear() + 3;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header("freq,unit,sex,age,geo\\TIME_PERIOD", yrs));
      StringBuilder eu = new StringBuilder("A,PC,T,Y25-64,EU27_2020");
      for (int y : yrs) {
        int t = y - spec.firstYear() + 1;
        double num = 0;
        double den = 0;
        for (SampleRegion r : regions) {
          num += r.learningTrue[t] * r.population[t];
          den += r.population[t];
        }
        eu.append('\t').append(cell(String.format(Locale.ROOT, "%.1f", num / den), ""));
      }
      w.write(eu.append('\n').toString());
      for (SampleRegion r : regions) {
        StringBuilder sb = new StringBuilder("A,PC,T,Y25-64," + r.nuts.code());
        for (int y : yrs) {
          int t = y - spec.firstYear() + 1;
          String flag = (y == breakYear && r.nuts.country().equals("FR") ? "b" : "") + (r.lowReliability ? "u" : "");
          sb.append('\t').append(r.learningMissing[t] ? cell(":", flag)
              : cell(String.format(Locale.ROOT, "%.1f", r.learningPublished[t]), flag));
        }
        w.write(sb.append('\n').toString());
      }
      // Women's and men's rates around the total (a region's gap drawn from its own stream, so the other series
      // keep their values): the inclusion pillar of the index.
      for (SampleRegion r : regions) {
        SplittableRandom own = new SplittableRandom(spec.seed() ^ r.nuts.code().hashCode());
        double gap = 2 + 2.5 * own.nextGaussian();
        for (String sex : new String[] {"F", "M"}) {
          double half = sex.equals("F") ? gap / 2 : -gap / 2;
          StringBuilder sb = new StringBuilder("A,PC," + sex + ",Y25-64," + r.nuts.code());
          for (int y : yrs) {
            int t = y - spec.firstYear() + 1;
            sb.append('\t').append(r.learningMissing[t] ? cell(":", "") : cell(String.format(Locale.ROOT, "%.1f",
                Math.max(0, Math.min(100, r.learningPublished[t] + half + 0.3 * own.nextGaussian()))), ""));
          }
          w.write(sb.append('\n').toString());
        }
      }
    }
  }

  void writeTertiary(Path file, List<SampleRegion> regions) throws IOException {
    writeSeries(file, "freq,unit,sex,age,isced11,geo\\TIME_PERIOD", "A,PC,T,Y25-64,ED5-8,", regions, r -> r.tertiary,
        "%.1f", false);
  }

  void writePopulationTsv(Path file, List<SampleRegion> regions) throws IOException {
    // Eurostat population on 1 January (demo_r_d2jan); the same figures as the OECD file, another layout.
    writeSeries(file, "freq,unit,sex,age,geo\\TIME_PERIOD", "A,NR,T,TOTAL,", regions, r -> r.population, "%.0f", true);
  }

  /** One current-format TSV row per region: {@code keyPrefix + code}, a cell per year, last year provisional. */
  private void writeSeries(Path file, String firstCell, String keyPrefix, List<SampleRegion> regions,
      java.util.function.Function<SampleRegion, double[]> series, String format, boolean lastYearProvisional)
      throws IOException {
    List<Integer> yrs = publishedYears(true);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header(firstCell, yrs));
      for (SampleRegion r : regions) {
        double[] v = series.apply(r);
        StringBuilder sb = new StringBuilder(keyPrefix + r.nuts.code());
        for (int y : yrs) {
          String flag = lastYearProvisional && y == spec.lastYear() ? "p" : "";
          sb.append('\t').append(cell(String.format(Locale.ROOT, format, v[y - spec.firstYear() + 1]), flag));
        }
        w.write(sb.append('\n').toString());
      }
    }
  }

  void writePopulation(Path file, List<SampleRegion> regions) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,FREQ,Frequency of observation,TERRITORIAL_LEVEL,"
          + "Territorial level,REF_AREA,Reference area,TERRITORIAL_TYPE,Territorial typology,MEASURE,Measure,AGE,Age,"
          + "SEX,Sex,UNIT_MEASURE,Unit of measure,TIME_PERIOD,Time period,OBS_VALUE,Observation value,COUNTRY,Country,"
          + "OBS_STATUS,Observation status,UNIT_MULT,Unit multiplier,DECIMALS,Decimals\n");
      for (SampleRegion r : regions) {
        for (int y = spec.firstYear(); y <= spec.lastYear(); y++) {
          int t = y - spec.firstYear() + 1;
          String status = y == spec.lastYear() ? "P,Provisional value" : "A,Normal value";
          w.write("DATAFLOW,OECD.CFE.EDS:DSD_REG_DEMO@DF_POP_5Y(2.0),Population by 5-year age groups - Regions,I,A,"
              + "Annual,TL2,TL2," + r.nuts.code() + "," + csv(r.nuts.name()) + ",_Z,Not applicable,POP,Population,_T,"
              + "Total,_T,Total,PS,Persons," + y + ",," + String.format(Locale.ROOT, "%.0f", r.population[t]) + ",,"
              + iso3(r.nuts.country()) + "," + iso3(r.nuts.country()) + "," + status + ",0,Units,0,Zero\n");
        }
      }
    }
  }

  long writeMicrodata(Path file, List<SampleRegion> regions, SplittableRandom rnd) throws IOException {
    long rows = 0;
    int n = spec.respondentsPerRegionYear();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("survey,year,respondent_id,region_code,age,sex,education_level,labour_status,formal,non_formal,"
          + "informal,hours,weight,stratum,psu\n");
      for (int y = spec.firstYear(); y <= spec.lastYear(); y++) {
        int t = y - spec.firstYear() + 1;
        for (SampleRegion r : regions) {
          double p = r.learningTrue[t] / 100.0;
          double adults = 0.55 * r.population[t];
          int psuCount = 0;
          double pPsu = p;
          String psu = null;
          for (int i = 0; i < n; i++) {
            String stratum = r.nuts.code() + (i < n / 2 ? "-U" : "-R");
            if (i % spec.psuSize() == 0 || i == n / 2) {
              psu = stratum + "-" + (++psuCount);
              pPsu = clamp(p * (1 + spec.psuSd() * rnd.nextGaussian()), 0, 1);
            }
            int age = 25 + rnd.nextInt(40);
            String sex = rnd.nextBoolean() ? "F" : "M";
            double e = rnd.nextDouble();
            String edu = e < 0.25 ? "ISCED0-2" : e < 0.70 ? "ISCED3-4" : "ISCED5-8";
            double l = rnd.nextDouble();
            String labour = l < 0.75 ? "employed" : l < 0.80 ? "unemployed" : "inactive";
            boolean any = rnd.nextDouble() < pPsu;
            double kind = rnd.nextDouble();
            boolean formal = any && kind < 0.35;
            boolean nonFormal = any && kind >= 0.20;
            boolean informal = rnd.nextDouble() < 0.35;
            long hours = any ? Math.max(1, Math.round(Math.exp(3 + 0.8 * rnd.nextGaussian()))) : 0;
            double weight = adults / n * (0.8 + 0.4 * rnd.nextDouble());
            w.write("LFS-SAMPLE," + y + "," + y + "-" + r.nuts.code() + "-" + i + "," + r.nuts.code() + "," + age + ","
                + sex + "," + edu + "," + labour + "," + (formal ? 1 : 0) + "," + (nonFormal ? 1 : 0) + ","
                + (informal ? 1 : 0) + "," + hours + "," + String.format(Locale.ROOT, "%.3f", weight) + "," + stratum
                + "," + psu + "\n");
            rows++;
          }
        }
      }
    }
    return rows;
  }

  void writeRegistry(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(LearningCityRegistry.HEADER + "\n");
      for (LearningCityRegistry.Entry e : LearningCityRegistry.unesco2015()) {
        w.write(String.join(",", csv(e.city()), e.country(), e.regionCode(), Integer.toString(e.yearJoined()),
            csv(e.source())) + "\n");
      }
    }
  }

  private List<Integer> publishedYears(boolean ascending) {
    return publishedYears(spec, ascending);
  }

  /** The sample's years, ascending (current bulk layout) or descending (pre-2023 layout). */
  static List<Integer> publishedYears(SampleSpec spec, boolean ascending) {
    List<Integer> yrs = new ArrayList<>();
    for (int y = spec.firstYear(); y <= spec.lastYear(); y++) {
      yrs.add(y);
    }
    if (!ascending) {
      java.util.Collections.reverse(yrs);
    }
    return yrs;
  }

  /** A bulk TSV header: the dimension cell, then each year with Eurostat's trailing blank. */
  static String header(String first, List<Integer> years) {
    StringBuilder sb = new StringBuilder(first);
    for (int y : years) {
      sb.append('\t').append(y).append(' ');
    }
    return sb.append('\n').toString();
  }

  private static String cell(String value, String flags) {
    return value + " " + flags;
  }

  static String csv(String s) {
    if (s.contains(",") || s.contains("\"")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private static String iso3(String country) {
    return switch (country) {
      case "AT" -> "AUT";
      case "BE" -> "BEL";
      case "DE" -> "DEU";
      case "ES" -> "ESP";
      case "FI" -> "FIN";
      case "FR" -> "FRA";
      case "IE" -> "IRL";
      case "IT" -> "ITA";
      case "NL" -> "NLD";
      case "PL" -> "POL";
      case "PT" -> "PRT";
      case "SE" -> "SWE";
      case "DK" -> "DNK";
      case "CZ" -> "CZE";
      case "HU" -> "HUN";
      case "EL" -> "GRC";
      case "RO" -> "ROU";
      case "BG" -> "BGR";
      case "SK" -> "SVK";
      case "SI" -> "SVN";
      case "HR" -> "HRV";
      case "LT" -> "LTU";
      case "LV" -> "LVA";
      case "EE" -> "EST";
      case "LU" -> "LUX";
      case "CY" -> "CYP";
      case "MT" -> "MLT";
      default -> country;
    };
  }

  private static double clamp(double v, double lo, double hi) {
    return SampleGenerator.clamp(v, lo, hi);
  }
}
