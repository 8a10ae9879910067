package org.learningregions.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Generates the sample into a directory unless the same sample (same parameters) is already there. */
public final class SampleFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SampleFiles.class);

  private SampleFiles() {}

  /** True when it (re)generated the files. */
  public static boolean ensure(SampleSpec spec, Path dir) {
    Path manifest = dir.resolve(SampleGenerator.MANIFEST_FILE);
    if (Files.isRegularFile(manifest) && matches(spec, manifest)
        && SampleFilesHolder.FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
      LOG.info("sample already in {} (seed {})", dir, spec.seed());
      return false;
    }
    SampleGenerator.Result r = new SampleGenerator(spec).generate(dir);
    LOG.info("generated sample in {}: {} regions x {} years, {} microdata rows", dir, r.regions(), r.years(),
        r.microdataRows());
    return true;
  }

  private static boolean matches(SampleSpec spec, Path manifest) {
    try {
      JsonNode m = new ObjectMapper().readTree(manifest.toFile());
      return m.path("seed").asLong() == spec.seed() && m.path("first_year").asInt() == spec.firstYear()
          && m.path("last_year").asInt() == spec.lastYear()
          && m.path("respondents_per_region_year").asInt() == spec.respondentsPerRegionYear()
          && m.path("beta").asDouble() == spec.beta() && m.path("noise_sd").asDouble() == spec.noiseSd()
          && m.path("psu_size").asInt() == spec.psuSize() && m.path("psu_sd").asDouble() == spec.psuSd()
          && m.path("max_regions").asInt() == spec.maxRegions()
          && new ObjectMapper().convertValue(m.path("countries"), List.class).equals(spec.countries());
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private static final class SampleFilesHolder {
    static final List<String> FILES = List.of(SampleGenerator.GDP_FILE, SampleGenerator.EMPLOYMENT_FILE,
        SampleGenerator.LEARNING_FILE, SampleGenerator.TERTIARY_FILE, SampleGenerator.POPULATION_FILE,
        SampleGenerator.POPULATION_TSV_FILE,
        SampleGenerator.MICRODATA_FILE, SampleGenerator.REGISTRY_FILE);
  }
}
