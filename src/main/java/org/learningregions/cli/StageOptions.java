package org.learningregions.cli;

import picocli.CommandLine.Option;

/** Options every stage command takes. */
final class StageOptions {
  @Option(names = "--force", description = "Run the stage even when its outputs are current (inputs and settings "
      + "unchanged since they were written); for ingest, re-read files whose content is recorded.")
  boolean force;
}
