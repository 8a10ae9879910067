package org.learningregions.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import org.learningregions.RunContext;
import org.learningregions.aggregate.AggregateStage;
import org.learningregions.ingest.IngestStage;
import org.learningregions.lake.RunManifest;
import org.learningregions.model.Coefficient;
import org.learningregions.model.FitStage;
import org.learningregions.panel.PanelStage;
import org.learningregions.report.ReportStage;
import org.learningregions.sample.SampleFiles;
import org.learningregions.sample.SampleSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pipeline}: every stage in order. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Run every stage: (generate-sample when inputs.generate-sample is on), ingest, aggregate, "
        + "build-panel, fit (every configured spec), report. Idempotent: a second run on the same inputs changes no table.")
final class PipelineCommand extends SparkCommand {
  @Option(names = "--input", paramLabel = "DIR", description = "Input directory (default: inputs.dir).")
  String input;

  @Override
  int execute(RunContext ctx) {
    String inputs = input != null ? input : ctx.config().inputsDir();
    if (input == null && ctx.config().generateSample()) {
      RunManifest.Stage s = ctx.manifest().stage("generate-sample");
      boolean made = SampleFiles.ensure(SampleSpec.from(ctx.config()), Paths.get(inputs));
      s.count("generated", made);
      s.done();
    }
    // Files every run of this configuration needs besides the input directory (e.g. the learning-city registry
    // that conf/eurostat.conf ships, since Eurostat's bulk files have none).
    List<String> paths = new java.util.ArrayList<>(List.of(inputs));
    paths.addAll(ctx.config().strings("inputs.extra-files"));
    new IngestStage(ctx).run(paths, null);
    new AggregateStage(ctx).run();
    new PanelStage(ctx).run();
    List<FitStage.Recorded> fits = new FitStage(ctx).run(ctx.config().modelSpecs());
    Path report = new ReportStage(ctx).run();
    String headlineModel = ctx.config().string("models.headline-model");
    String headlineTerm = ctx.config().string("models.headline-term");
    for (FitStage.Recorded r : fits) {
      if (r.fit().spec().name().equals(headlineModel)) {
        for (Coefficient c : r.fit().coefficients()) {
          if (c.term().equals(headlineTerm)) {
            System.out.printf(Locale.ROOT, "%s: %s = %.5f (95%% CI %.5f to %.5f, %s), N = %d%n", headlineModel,
                headlineTerm, c.estimate(), c.ciLow(), c.ciHigh(), c.seType(), r.fit().nObs());
          }
        }
      }
    }
    for (RunManifest.Stage s : ctx.manifest().stages()) {
      System.out.printf(Locale.ROOT, "  %-16s %7.1f s%n", s.name(), s.seconds());
    }
    System.out.println("report: " + report.resolve("summary.html"));
    System.out.println("lakehouse: " + ctx.lake().root() + " (manifest _runs/" + ctx.runId() + ".json)");
    return 0;
  }
}
