package org.learningregions.cli;

import java.util.List;
import org.learningregions.RunContext;
import org.learningregions.ingest.IngestStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ingest}: files into bronze, silver and quarantine. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Ingest Eurostat TSV, SDMX-CSV (Eurostat, OECD), survey microdata CSV and learning-city registry "
        + "files into bronze (raw lines + provenance), silver (typed, checked) and quarantine (rejected rows with a "
        + "reason). The format is detected from each file's content. Re-ingesting a file changes nothing.")
final class IngestCommand extends SparkCommand {
  @Option(names = "--dataset", paramLabel = "CODE",
      description = "Dataset code for every file given (default: from the file name or the SDMX dataflow).")
  String dataset;

  @Parameters(paramLabel = "FILE", arity = "0..*",
      description = "Files or directories (default: inputs.dir).")
  List<String> files;

  @Override
  int execute(RunContext ctx) {
    List<String> inputs = files == null || files.isEmpty() ? List.of(ctx.config().inputsDir()) : files;
    new IngestStage(ctx).run(inputs, dataset);
    return 0;
  }
}
