package org.learningregions.ingest;

import java.io.IOException;

/**
 * A limit of {@link IngestLimits} breached while a file's bytes are read: an {@link IOException} so that it leaves
 * the streams it is raised in, and becomes the file's {@link InputFileException} in {@link FileSniffer}.
 */
final class LimitExceeded extends IOException {
  private final FileProblem problem;

  LimitExceeded(FileProblem problem, String detail) {
    super(detail);
    this.problem = problem;
  }

  FileProblem problem() {
    return problem;
  }
}
