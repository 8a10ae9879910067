package org.learningregions;

/**
 * The exception type users see. Its message is a single line that names the cause (and the file or table involved);
 * the CLI prints it without a stack trace and exits with {@link #exitCode()}. Failures that code must tell apart
 * have their own subclass with a reason enum (e.g. {@code ingest.InputFileException}), never a test on the text.
 */
public class LearningRegionsException extends RuntimeException {
  /** Bad command line or configuration. */
  public static final int USAGE = 2;
  /** Bad data, missing input, or a failure while running. */
  public static final int FAILURE = 1;

  private final int exitCode;

  protected LearningRegionsException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public static LearningRegionsException usage(String message) {
    return new LearningRegionsException(USAGE, message, null);
  }

  public static LearningRegionsException failure(String message) {
    return new LearningRegionsException(FAILURE, message, null);
  }

  public static LearningRegionsException failure(String message, Throwable cause) {
    return new LearningRegionsException(FAILURE, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
