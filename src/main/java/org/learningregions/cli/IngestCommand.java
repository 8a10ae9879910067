package org.learningregions.cli;

import java.util.List;
import org.learningregions.ingest.IngestSettings;
import org.learningregions.ingest.IngestStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ingest}: files into bronze, silver and quarantine. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Ingest Eurostat TSV, SDMX-CSV (Eurostat, OECD), survey microdata CSV or Parquet and "
        + "learning-city registry files into bronze (raw lines + provenance), silver (typed, checked) and quarantine "
        + "(rejected rows with a reason). The format is detected from each file's content. A file already ingested "
        + "with the same content and parse settings is skipped without being read; a revised file (same name, new "
        + "content) replaces its own rows.")
final class IngestCommand extends SparkCommand {
  @Option(names = "--dataset", paramLabel = "CODE",
      description = "Dataset code for every file given (default: from the file name or the SDMX dataflow).")
  String dataset;

  @Mixin
  StageOptions stage;

  @Parameters(paramLabel = "FILE", arity = "0..*",
      description = "Files or directories (default: inputs.dir).")
  List<String> files;

  @Override
  int execute(Run run) {
    List<String> inputs = files == null || files.isEmpty() ? List.of(run.config().inputsDir()) : files;
    run.runStage(new IngestStage(IngestSettings.from(run.config()), inputs, dataset, stage.force), stage.force);
    return 0;
  }
}
