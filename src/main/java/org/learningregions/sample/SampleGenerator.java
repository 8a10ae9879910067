package org.learningregions.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
  public static final String EDUCATION_FILE = "estat_lfst_r_lfe2eedu.tsv";
  public static final String SECTOR_FILE = "estat_lfst_r_lfe2en2.tsv";
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
      List<SampleRegion> regions = new ArrayList<>();
      for (NutsCatalog.Region n : nuts) {
        regions.add(region(n, years, yearEffect, rnd));
      }
      SampleFileWriters files = new SampleFileWriters(spec);
      files.writeGdp(dir.resolve(GDP_FILE), regions);
      files.writeEmployment(dir.resolve(EMPLOYMENT_FILE), regions);
      files.writeLearning(dir.resolve(LEARNING_FILE), regions);
      files.writeTertiary(dir.resolve(TERTIARY_FILE), regions);
      files.writePopulation(dir.resolve(POPULATION_FILE), regions);
      files.writePopulationTsv(dir.resolve(POPULATION_TSV_FILE), regions);
      long rows = files.writeMicrodata(dir.resolve(MICRODATA_FILE), regions,
          new SplittableRandom(spec.seed() ^ 0x5DEECE66DL));
      files.writeRegistry(dir.resolve(REGISTRY_FILE));
      LabourMarketFiles labour = new LabourMarketFiles(spec);
      labour.writeByEducation(dir.resolve(EDUCATION_FILE), regions);
      labour.writeBySector(dir.resolve(SECTOR_FILE), regions);
      Map<String, Object> manifest = manifest(regions, rows);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(MANIFEST_FILE).toFile(),
          manifest);
      return new Result(dir, regions.size(), years, rows, manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SampleRegion region(NutsCatalog.Region n, int years, double[] yearEffect, SplittableRandom rnd) {
    double[] c = COUNTRY.getOrDefault(n.country(), new double[] {10, 70000, 1.0});
    SampleRegion r = new SampleRegion();
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

  private Map<String, Object> manifest(List<SampleRegion> regions, long rows) {
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
    for (SampleRegion r : regions) {
      Map<String, Double> byYear = new LinkedHashMap<>();
      for (int y = spec.firstYear(); y <= spec.lastYear(); y++) {
        byYear.put(Integer.toString(y), r.learningTrue[y - spec.firstYear() + 1] / 100.0);
      }
      truth.put(r.nuts.code(), byYear);
    }
    m.put("participation_probability", truth);
    return m;
  }

  static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
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
