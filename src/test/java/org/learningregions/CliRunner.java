package org.learningregions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.learningregions.cli.LearningRegions;

/** Runs the CLI in-process (sharing the test SparkSession) and captures stdout and stderr. */
public final class CliRunner {
  /** Exit code and captured output of one CLI run. */
  public record Result(int exitCode, String out, String err) {}

  private CliRunner() {}

  public static Result run(String... args) {
    SparkTestSession.get();
    return runWithoutSpark(args);
  }

  /** As {@link #run}, for commands that need no SparkSession (download): none is started for them. */
  public static synchronized Result runWithoutSpark(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = LearningRegions.run(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
