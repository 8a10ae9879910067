package org.learningregions.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.learningregions.LearningRegionsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code learning-regions} command line. Exit codes: 0 success, 1 data or run-time failure (one line on stderr;
 * stack trace with --verbose), 2 usage error.
 */
@Command(name = "learning-regions", mixinStandardHelpOptions = true,
    versionProvider = LearningRegions.Version.class,
    description = "Does more adult learning go with higher regional productivity, and how sure are we? "
        + "A Spark pipeline from Eurostat/OECD files and survey microdata to Delta tables, models and reports.",
    subcommands = {GenerateSampleCommand.class, DownloadCommand.class, IngestCommand.class, AggregateCommand.class,
        BuildPanelCommand.class, IndexCommand.class, FitCommand.class, ReportCommand.class, PipelineCommand.class,
        SqlCommand.class, HistoryCommand.class, MaintainCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 failure (data or run time), 2 usage error."})
public final class LearningRegions implements Runnable {
  static volatile boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    int code = run(args);
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    System.exit(code);
  }

  /** Runs the CLI without exiting the JVM or stopping Spark (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new LearningRegions());
    cli.setExecutionExceptionHandler(LearningRegions::onError);
    return cli.execute(args);
  }

  private static int onError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (verbose) {
      e.printStackTrace(err);
    }
    if (e instanceof LearningRegionsException lre) {
      err.println("error: " + lre.getMessage());
      err.flush();
      return lre.exitCode();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int nl = msg.indexOf('\n');
    err.println("error: " + (nl < 0 ? msg : msg.substring(0, nl)) + (verbose ? ""
        : " (run with --verbose for details)"));
    err.flush();
    return LearningRegionsException.FAILURE;
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LearningRegions.class.getPackage().getImplementationVersion();
      return new String[] {"learning-regions " + (v == null ? "dev" : v) + ", Spark "
          + org.apache.spark.package$.MODULE$.SPARK_VERSION()};
    }
  }
}
