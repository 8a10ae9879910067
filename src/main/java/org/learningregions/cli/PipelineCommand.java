package org.learningregions.cli;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.learningregions.aggregate.AggregateSettings;
import org.learningregions.aggregate.AggregateStage;
import org.learningregions.index.IndexSettings;
import org.learningregions.index.IndexStage;
import org.learningregions.ingest.IngestSettings;
import org.learningregions.ingest.IngestStage;
import org.learningregions.lake.RunManifest;
import org.learningregions.model.FitSettings;
import org.learningregions.model.FitStage;
import org.learningregions.model.ModelRegistry;
import org.learningregions.panel.PanelSettings;
import org.learningregions.panel.PanelStage;
import org.learningregions.report.ReportSettings;
import org.learningregions.report.ReportStage;
import org.learningregions.sample.SampleFiles;
import org.learningregions.sample.SampleSpec;
import org.learningregions.stage.StageResult;
import org.learningregions.stage.StageRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline}: every stage in order, each through the one {@link StageRunner}. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Run every stage: (generate-sample when inputs.generate-sample is on), ingest, aggregate, "
        + "build-panel, fit (every configured spec), report. Idempotent: files already ingested are skipped unread, "
        + "and a stage whose inputs and settings are unchanged reports \"unchanged\" and does no work.")
final class PipelineCommand extends SparkCommand {
  @Option(names = "--input", paramLabel = "DIR", description = "Input directory (default: inputs.dir).")
  String input;

  @Mixin
  StageOptions stage;

  @Override
  int execute(Run run) {
    String inputs = input != null ? input : run.config().inputsDir();
    if (input == null && run.config().generateSample()) {
      RunManifest.Stage s = run.manifest().stage("generate-sample");
      boolean made = SampleFiles.ensure(SampleSpec.from(run.config()), Paths.get(inputs));
      s.count("generated", made);
      s.status(made ? "ran" : "unchanged");
      s.done();
    }
    // Files every run of this configuration needs besides the input directory (e.g. the learning-city registry
    // that conf/eurostat.conf ships, since Eurostat's bulk files have none).
    List<String> paths = new ArrayList<>(List.of(inputs));
    paths.addAll(run.config().strings("inputs.extra-files"));
    StageRunner runner = run.runner(stage.force);
    runner.run(new IngestStage(IngestSettings.from(run.config()), paths, null, stage.force));
    runner.run(new AggregateStage(AggregateSettings.from(run.config())));
    runner.run(new PanelStage(PanelSettings.from(run.config())));
    runner.run(new IndexStage(IndexSettings.from(run.config())));
    runner.run(new FitStage(FitSettings.from(run.config()), false));
    ReportSettings report = ReportSettings.from(run.config());
    StageResult written = runner.run(new ReportStage(report, null));
    ModelRegistry.latest(run.lake(), report.headlineModel(), report.headlineTerm()).ifPresent(h ->
        System.out.printf(Locale.ROOT, "%s: %s = %.5f (95%% CI %.5f to %.5f, %s), N = %d%n", h.model(), h.term(),
            h.estimate(), h.ciLow(), h.ciHigh(), h.seType(), h.nObs()));
    for (RunManifest.Stage s : run.manifest().stages()) {
      System.out.printf(Locale.ROOT, "  %-16s %7.1f s  %s%n", s.name(), s.seconds(), s.status());
    }
    System.out.println("report: " + Paths.get(written.outputs().get(ReportStage.REPORT_DIR), "summary.html"));
    System.out.println("lakehouse: " + run.lake().root() + " (manifest _runs/" + run.runId() + ".json)");
    return 0;
  }
}
