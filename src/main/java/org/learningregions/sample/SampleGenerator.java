package org.learningregions.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.learningregions.validate.NutsCatalog;

/**
 * Writes a complete, deterministic set of pipeline inputs with a planted learning effect:
 * Eurostat TSV files (GDP, employment, official learning rates, tertiary attainment), an OECD SDMX-CSV population
 * file, survey microdata with a stratified cluster design, the learning-city registry, and a manifest holding the
 * parameters and the generating probabilities.
 *
 * <p>The planted model: {@code log(GDP per person employed)[r,t] = a[r] + g[t] + beta * L[r,t-1] + e[r,t]} with
 * {@code L} the published learning rate in percent and {@code e ~ N(0, noiseSd)}. Survey respondents take part in
 * education or training with probability {@code L_true[r,t]/100}, shifted per PSU so that the design effect exceeds
 * one while the expected rate stays {@code L_true}.
 */
public final class SampleGenerator {
  public static final String GDP_FILE = "estat_nama_10r_2gdp.tsv";
  public static final String EMPLOYMENT_FILE = "estat_lfst_r_lfe2emp.tsv";
  public static final String LEARNING_FILE = "estat_trng_lfse_04.tsv";
  public static final String TERTIARY_FILE = "estat_edat_lfse_04.tsv";
  public static final String POPULATION_FILE = "oecd_DF_POP_5Y.csv";
  public static final String POPULATION_TSV_FILE = "estat_demo_r_d2jan.tsv";
  public static final String MICRODATA_FILE = "microdata_lfs_sample.csv";
  public static final String REGISTRY_FILE = "learning_cities.csv";
  public static final String MANIFEST_FILE = "sample_manifest.json";

  private static final Map<String, double[]> COUNTRY = countryParameters();

  private final SampleSpec spec;

  public SampleGenerator(SampleSpec spec) {
    spec.check();
    this.spec = spec;
  }

  /** What was generated: sizes and the generating learning probabilities by region and year. */
  public record Result(Path dir, int regions, int years, long microdataRows, Map<String, Object> manifest) {}

  private static final class Region {
    NutsCatalog.Region nuts;
    double[] learningTrue; // index 0 = firstYear - 1
    double[] learningPublished;
    boolean[] learningMissing;
    double[] population;
    double[] employmentThousand;
    double[] gdpEur;
    double[] gdpPps;
    boolean[] gdpMissing;
    double[] tertiary;
    boolean lowReliability;
  }

  public Result generate(Path dir) {
    try {
      Files.createDirectories(dir);
      SplittableRandom rnd = new SplittableRandom(spec.seed());
      List<NutsCatalog.Region> nuts = NutsCatalog.nuts2021().regions(2, spec.countries());
      if (spec.maxRegions() > 0 && nuts.size() > spec.maxRegions()) {
        nuts = nuts.subList(0, spec.maxRegions());
      }
      if (nuts.isEmpty()) {
        throw org.learningregions.LearningRegionsException.usage("no NUTS 2 regions for countries " + spec.countries());
      }
      int years = spec.lastYear() - spec.firstYear() + 1;
      double[] yearEffect = new double[years + 1];
      for (int t = 0; t <= years; t++) {
        yearEffect[t] = 0.012 * t + 0.01 * rnd.nextGaussian();
      }
      List<Region> regions = new ArrayList<>();
      for (NutsCatalog.Region n : nuts) {
        regions.add(region(n, years, yearEffect, rnd));
      }
      writeGdp(dir.resolve(GDP_FILE), regions);
      writeEmployment(dir.resolve(EMPLOYMENT_FILE), regions);
      writeLearning(dir.resolve(LEARNING_FILE), regions);
      writeTertiary(dir.resolve(TERTIARY_FILE), regions);
      writePopulation(dir.resolve(POPULATION_FILE), regions);
      writePopulationTsv(dir.resolve(POPULATION_TSV_FILE), regions);
      long rows = writeMicrodata(dir.resolve(MICRODATA_FILE), regions, new SplittableRandom(spec.seed() ^ 0x5DEECE66DL));
      writeRegistry(dir.resolve(REGISTRY_FILE));
      Map<String, Object> manifest = manifest(regions, rows);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(MANIFEST_FILE).toFile(), manifest);
      return new Result(dir, regions.size(), years, rows, manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Region region(NutsCatalog.Region n, int years, double[] yearEffect, SplittableRandom rnd) {
    double[] c = COUNTRY.getOrDefault(n.country(), new double[] {10, 70000, 1.0});
    Region r = new Region();
    r.nuts = n;
    double base = Math.max(1.5, c[0] + 3.0 * rnd.nextGaussian());
    double trend = 0.25 + 0.2 * rnd.nextGaussian();
    double pop0 = clamp(Math.exp(Math.log(1.8e6) + 0.6 * rnd.nextGaussian()), 2.5e5, 1.2e7);
    double popGrowth = 0.003 + 0.004 * rnd.nextGaussian();
    double employmentRate = clamp(0.46 + 0.04 * rnd.nextGaussian(), 0.3, 0.6);
    double alpha = Math.log(c[1]) + 0.2 * rnd.nextGaussian();
    double tertiaryBase = clamp(32 + 8 * rnd.nextGaussian(), 10, 60);
    r.lowReliability = pop0 < 6e5;
    r.learningTrue = new double[years + 1];
    r.learningPublished = new double[years + 1];
    r.learningMissing = new boolean[years + 1];
    double shock = 0;
    for (int t = 0; t <= years; t++) {
      shock = 0.5 * shock + 1.0 * rnd.nextGaussian();
      r.learningTrue[t] = clamp(base + trend * t + shock, 0.5, 60);
      r.learningPublished[t] = Math.round(r.learningTrue[t] * 10) / 10.0;
      r.learningMissing[t] = t > 0 && rnd.nextDouble() < 0.02;
    }
    r.population = new double[years + 1];
    r.employmentThousand = new double[years + 1];
    r.gdpEur = new double[years + 1];
    r.gdpPps = new double[years + 1];
    r.gdpMissing = new boolean[years + 1];
    r.tertiary = new double[years + 1];
    for (int t = 0; t <= years; t++) {
      r.population[t] = Math.round(pop0 * Math.pow(1 + popGrowth, t));
      r.employmentThousand[t] = Math.round(r.population[t] * employmentRate / 100.0) / 10.0;
      // The regressor is the published (rounded) rate of the year before; year 0 is the unpublished pre-period.
      double lagged = t == 0 ? r.learningTrue[0] : r.learningPublished[t - 1];
      double logProductivity = alpha + yearEffect[t] + spec.beta() * lagged + spec.noiseSd() * rnd.nextGaussian();
      double gdp = Math.exp(logProductivity) * r.employmentThousand[t] * 1000 / 1e6;
      r.gdpEur[t] = Math.round(gdp);
      r.gdpPps[t] = Math.round(gdp / c[2]);
      r.gdpMissing[t] = t > 0 && rnd.nextDouble() < 0.01;
      r.tertiary[t] = Math.round(clamp(tertiaryBase + 0.5 * t + rnd.nextGaussian(), 5, 80) * 10) / 10.0;
    }
    return r;
  }

  // Eurostat bulk TSV: first cell "dims\TIME_PERIOD", one column per year, every cell "value flags" or ": flags".
  private void writeGdp(Path file, List<Region> regions) throws IOException {
    // Current (2023+) header, ascending years, with a frequency dimension.
    List<Integer> yrs = publishedYears(true);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header("freq,unit,geo\\TIME_PERIOD", yrs));
      for (String unit : List.of("MIO_EUR", "MIO_PPS")) {
        Map<String, double[]> countryTotals = new LinkedHashMap<>();
        for (Region r : regions) {
          double[] v = unit.equals("MIO_EUR") ? r.gdpEur : r.gdpPps;
          double[] tot = countryTotals.computeIfAbsent(r.nuts.country(), k -> new double[v.length]);
          for (int t = 0; t < v.length; t++) {
            tot[t] += v[t];
          }
        }
        for (Map.Entry<String, double[]> e : countryTotals.entrySet()) {
          StringBuilder sb = new StringBuilder("A," + unit + "," + e.getKey());
          for (int y : yrs) {
            sb.append('\t').append(cell(String.format(Locale.ROOT, "%.0f", e.getValue()[y - spec.firstYear() + 1]), ""));
          }
          w.write(sb.append('\n').toString());
        }
        for (Region r : regions) {
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

  private void writeEmployment(Path file, List<Region> regions) throws IOException {
    // Older (pre-2023) header, descending years, no frequency dimension: both layouts occur in the wild.
    List<Integer> yrs = publishedYears(false);
    int breakYear = spec.firstYear() + (spec.lastYear() - spec.firstYear()) / 2;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header("unit,sex,age,geo\\time", yrs));
      for (Region r : regions) {
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

  private void writeLearning(Path file, List<Region> regions) throws IOException {
    List<Integer> yrs = publishedYears(true);
    int breakYear = spec.firstYear() + 3;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header("freq,unit,sex,age,geo\\TIME_PERIOD", yrs));
      StringBuilder eu = new StringBuilder("A,PC,T,Y25-64,EU27_2020");
      for (int y : yrs) {
        int t = y - spec.firstYear() + 1;
        double num = 0;
        double den = 0;
        for (Region r : regions) {
          num += r.learningTrue[t] * r.population[t];
          den += r.population[t];
        }
        eu.append('\t').append(cell(String.format(Locale.ROOT, "%.1f", num / den), ""));
      }
      w.write(eu.append('\n').toString());
      for (Region r : regions) {
        StringBuilder sb = new StringBuilder("A,PC,T,Y25-64," + r.nuts.code());
        for (int y : yrs) {
          int t = y - spec.firstYear() + 1;
          String flag = (y == breakYear && r.nuts.country().equals("FR") ? "b" : "") + (r.lowReliability ? "u" : "");
          sb.append('\t').append(r.learningMissing[t] ? cell(":", flag)
              : cell(String.format(Locale.ROOT, "%.1f", r.learningPublished[t]), flag));
        }
        w.write(sb.append('\n').toString());
      }
    }
  }

  private void writeTertiary(Path file, List<Region> regions) throws IOException {
    writeSeries(file, "freq,unit,sex,age,isced11,geo\\TIME_PERIOD", "A,PC,T,Y25-64,ED5-8,", regions, r -> r.tertiary,
        "%.1f", false);
  }

  private void writePopulationTsv(Path file, List<Region> regions) throws IOException {
    // Eurostat population on 1 January (demo_r_d2jan); the same figures as the OECD file, another layout.
    writeSeries(file, "freq,unit,sex,age,geo\\TIME_PERIOD", "A,NR,T,TOTAL,", regions, r -> r.population, "%.0f", true);
  }

  /** One current-format TSV row per region: {@code keyPrefix + code}, a cell per year, last year provisional. */
  private void writeSeries(Path file, String firstCell, String keyPrefix, List<Region> regions,
      java.util.function.Function<Region, double[]> series, String format, boolean lastYearProvisional)
      throws IOException {
    List<Integer> yrs = publishedYears(true);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header(firstCell, yrs));
      for (Region r : regions) {
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

  private void writePopulation(Path file, List<Region> regions) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,FREQ,Frequency of observation,TERRITORIAL_LEVEL,"
          + "Territorial level,REF_AREA,Reference area,TERRITORIAL_TYPE,Territorial typology,MEASURE,Measure,AGE,Age,"
          + "SEX,Sex,UNIT_MEASURE,Unit of measure,TIME_PERIOD,Time period,OBS_VALUE,Observation value,COUNTRY,Country,"
          + "OBS_STATUS,Observation status,UNIT_MULT,Unit multiplier,DECIMALS,Decimals\n");
      for (Region r : regions) {
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

  private long writeMicrodata(Path file, List<Region> regions, SplittableRandom rnd) throws IOException {
    long rows = 0;
    int n = spec.respondentsPerRegionYear();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("survey,year,respondent_id,region_code,age,sex,education_level,labour_status,formal,non_formal,"
          + "informal,hours,weight,stratum,psu\n");
      for (int y = spec.firstYear(); y <= spec.lastYear(); y++) {
        int t = y - spec.firstYear() + 1;
        for (Region r : regions) {
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

  private void writeRegistry(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(LearningCityRegistry.HEADER + "\n");
      for (LearningCityRegistry.Entry e : LearningCityRegistry.unesco2015()) {
        w.write(String.join(",", csv(e.city()), e.country(), e.regionCode(), Integer.toString(e.yearJoined()),
            csv(e.source())) + "\n");
      }
    }
  }

  private Map<String, Object> manifest(List<Region> regions, long rows) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generator", "learning-regions generate-sample");
    m.put("seed", spec.seed());
    m.put("first_year", spec.firstYear());
    m.put("last_year", spec.lastYear());
    m.put("countries", spec.countries());
    m.put("regions", regions.size());
    m.put("respondents_per_region_year", spec.respondentsPerRegionYear());
    m.put("microdata_rows", rows);
    m.put("planted_model", "log(gdp_eur_m*1e6 / (employment_thousand*1e3)) = a_region + g_year + beta * "
        + "published_learning_rate_pct(t-1) + N(0, noise_sd)");
    m.put("beta", spec.beta());
    m.put("noise_sd", spec.noiseSd());
    m.put("psu_size", spec.psuSize());
    m.put("psu_sd", spec.psuSd());
    m.put("files", List.of(GDP_FILE, EMPLOYMENT_FILE, LEARNING_FILE, TERTIARY_FILE, POPULATION_TSV_FILE,
        POPULATION_FILE, MICRODATA_FILE, REGISTRY_FILE));
    m.put("max_regions", spec.maxRegions());
    // The probability each respondent's participation was drawn with (before the PSU shift, whose mean is zero).
    Map<String, Map<String, Double>> truth = new LinkedHashMap<>();
    for (Region r : regions) {
      Map<String, Double> byYear = new LinkedHashMap<>();
      for (int y = spec.firstYear(); y <= spec.lastYear(); y++) {
        byYear.put(Integer.toString(y), r.learningTrue[y - spec.firstYear() + 1] / 100.0);
      }
      truth.put(r.nuts.code(), byYear);
    }
    m.put("participation_probability", truth);
    return m;
  }

  private List<Integer> publishedYears(boolean ascending) {
    List<Integer> yrs = new ArrayList<>();
    for (int y = spec.firstYear(); y <= spec.lastYear(); y++) {
      yrs.add(y);
    }
    if (!ascending) {
      java.util.Collections.reverse(yrs);
    }
    return yrs;
  }

  private static String header(String first, List<Integer> years) {
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

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
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

  /** Per country: typical learning rate (%), GDP per person employed (EUR), price level (EUR per PPS). */
  private static Map<String, double[]> countryParameters() {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("AT", new double[] {14, 85000, 1.08});
    m.put("BE", new double[] {8, 95000, 1.10});
    m.put("DE", new double[] {8, 80000, 1.05});
    m.put("ES", new double[] {10, 65000, 0.92});
    m.put("FI", new double[] {26, 85000, 1.20});
    m.put("FR", new double[] {17, 85000, 1.08});
    m.put("IE", new double[] {9, 120000, 1.25});
    m.put("IT", new double[] {7, 75000, 0.98});
    m.put("NL", new double[] {18, 85000, 1.12});
    m.put("PL", new double[] {4, 40000, 0.57});
    m.put("PT", new double[] {10, 45000, 0.85});
    m.put("SE", new double[] {28, 90000, 1.25});
    return m;
  }
}
