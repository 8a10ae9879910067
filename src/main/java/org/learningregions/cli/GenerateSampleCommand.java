package org.learningregions.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import org.learningregions.config.AppConfig;
import org.learningregions.sample.SampleGenerator;
import org.learningregions.sample.SampleSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate-sample}: writes every input format with a planted learning effect. */
@Command(name = "generate-sample", mixinStandardHelpOptions = true,
    description = "Write a deterministic sample of every input format (Eurostat TSV, OECD SDMX-CSV, survey microdata, "
        + "learning-city registry) with a planted effect of learning on productivity; parameters and generating "
        + "probabilities go to sample_manifest.json.")
final class GenerateSampleCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: inputs.dir).")
  Path out;

  @Option(names = "--seed", description = "Random seed (default: sample.seed).")
  Long seed;

  @Option(names = "--countries", split = ",", paramLabel = "CC", description = "NUTS country codes, e.g. DE,FR,PL.")
  List<String> countries;

  @Option(names = "--first-year", description = "First year.")
  Integer firstYear;

  @Option(names = "--last-year", description = "Last year.")
  Integer lastYear;

  @Option(names = "--respondents", description = "Survey respondents per region and year.")
  Integer respondents;

  @Option(names = "--max-regions", description = "Keep only the first N regions of the countries (0: all).")
  Integer maxRegions;

  @Option(names = "--beta", description = "Planted effect: log productivity per percentage point of lagged learning.")
  Double beta;

  @Override
  public Integer call() {
    LearningRegions.verbose = common.verbose;
    AppConfig config = common.load();
    SampleSpec d = SampleSpec.from(config);
    SampleSpec spec = new SampleSpec(seed != null ? seed : d.seed(), firstYear != null ? firstYear : d.firstYear(),
        lastYear != null ? lastYear : d.lastYear(), countries != null ? List.copyOf(countries) : d.countries(),
        respondents != null ? respondents : d.respondentsPerRegionYear(), beta != null ? beta : d.beta(), d.noiseSd(),
        d.psuSize(), d.psuSd(), maxRegions != null ? maxRegions : d.maxRegions());
    Path dir = out != null ? out : Paths.get(config.inputsDir());
    SampleGenerator.Result r = new SampleGenerator(spec).generate(dir);
    System.out.println("sample written to " + r.dir().toAbsolutePath().normalize() + ": " + r.regions() + " regions x "
        + r.years() + " years, " + r.microdataRows() + " survey respondents, planted beta " + spec.beta());
    return 0;
  }
}
