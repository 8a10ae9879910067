package org.learningregions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;

/** Exit codes and one-line messages. */
class CliTest {
  @TempDir
  Path tmp;

  @Test
  void helpListsEveryCommand() {
    CliRunner.Result r = CliRunner.run("--help");
    assertEquals(0, r.exitCode());
    for (String c : new String[] {"generate-sample", "ingest", "aggregate", "build-panel", "index", "fit", "report",
        "pipeline", "sql", "history", "maintain", "download"}) {
      assertTrue(r.out().contains(c), "help lacks " + c + ":\n" + r.out());
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String c : new String[] {"generate-sample", "ingest", "aggregate", "build-panel", "index", "fit", "report",
        "pipeline", "sql", "history"}) {
      CliRunner.Result r = CliRunner.run(c, "--help");
      assertEquals(0, r.exitCode(), c);
      assertTrue(r.out().contains("Usage: learning-regions " + c), r.out());
    }
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitTwo() {
    CliRunner.Result r = CliRunner.run("pipeline", "--no-such-option");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().lines().findFirst().orElse("").contains("--no-such-option"), r.err());
  }

  @Test
  void emptyInputFileFailsWithExitOneAndOneLine() throws Exception {
    Path empty = Files.createFile(tmp.resolve("estat_trng_lfse_04.tsv"));
    CliRunner.Result r = CliRunner.run("ingest", "--conf", "conf/local.conf", "-Dlakehouse=" + tmp.resolve("lh"),
        empty.toString());
    assertEquals(1, r.exitCode(), r.err());
    String errors = r.err().lines().filter(l -> l.startsWith("error:")).reduce("", (a, b) -> a + b + "\n");
    assertEquals(1, errors.lines().count(), r.err());
    assertTrue(errors.contains("empty file") && errors.contains("estat_trng_lfse_04.tsv"), errors);
    assertTrue(!r.err().contains("\tat "), "no stack trace without --verbose");
  }

  @Test
  void fitOnAMissingTableFailsWithExitOne() {
    CliRunner.Result r = CliRunner.run("fit", "--conf", "conf/local.conf", "-Dlakehouse=" + tmp.resolve("empty"),
        "--formula", "y ~ x");
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("error: table gold.analysis_panel does not exist"), r.err());
  }

  @Test
  void badFormulaIsAUsageError() {
    CliRunner.Result r = CliRunner.run("fit", "--conf", "conf/local.conf", "-Dlakehouse=" + tmp.resolve("empty"),
        "--formula", "no tilde here");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("formula must be"), r.err());
  }
}
