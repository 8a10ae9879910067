package org.learningregions.sample;

import java.util.List;
import org.learningregions.config.AppConfig;

/**
 * Parameters of a generated sample: the planted model and the survey design. Recorded in the sample's manifest so
 * that every figure recovered from it can be checked against what was planted.
 */
public record SampleSpec(
    long seed,
    int firstYear,
    int lastYear,
    List<String> countries,
    int respondentsPerRegionYear,
    double beta,
    double noiseSd,
    int psuSize,
    double psuSd,
    int maxRegions) {

  public static SampleSpec from(AppConfig config) {
    return new SampleSpec(
        config.raw().getLong("sample.seed"),
        config.integer("sample.first-year"),
        config.integer("sample.last-year"),
        List.copyOf(config.strings("sample.countries")),
        config.integer("sample.respondents-per-region-year"),
        config.number("sample.beta"),
        config.number("sample.noise-sd"),
        config.integer("sample.psu-size"),
        config.number("sample.psu-sd"),
        config.integer("sample.max-regions"));
  }

  public void check() {
    if (lastYear < firstYear || firstYear < 1990 || lastYear > 2100) {
      throw org.learningregions.LearningRegionsException.usage(
          "sample years must satisfy 1990 <= first-year <= last-year <= 2100");
    }
    if (respondentsPerRegionYear < 2 || psuSize < 1) {
      throw org.learningregions.LearningRegionsException.usage(
          "sample needs at least 2 respondents per region-year and PSUs of at least 1");
    }
    if (countries.isEmpty()) {
      throw org.learningregions.LearningRegionsException.usage("sample.countries is empty");
    }
  }
}
