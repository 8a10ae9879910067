package org.learningregions.ingest;

import org.learningregions.LearningRegionsException;

/** A whole input file refused, with its {@link FileProblem}: callers branch on the problem, never on the text. */
public final class InputFileException extends LearningRegionsException {
  private final FileProblem problem;

  public InputFileException(String file, FileProblem problem, String detail) {
    this(file, problem, detail, null);
  }

  public InputFileException(String file, FileProblem problem, String detail, Throwable cause) {
    super(FAILURE, problem.message(file, detail), cause);
    this.problem = problem;
  }

  public FileProblem problem() {
    return problem;
  }
}
