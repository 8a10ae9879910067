package org.learningregions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One generated sample and one pipeline run on it, shared by every test class that reads a pipeline's output (once
 * per surefire JVM: a pipeline run is the expensive part of those tests). The learning-city registry carries hostile
 * names that must come out inert in every report format. Tests read the shared lakehouse; a test that writes works
 * on a {@link #copy} of it. Under Maven it lives in {@code target/sample-pipeline} (system property
 * {@code sample.pipeline.dir}), where dev/test finds it afterwards for the cluster comparison and the notebooks: one
 * sample lakehouse for the whole suite.
 */
public final class SamplePipeline {
  public static final double BETA = 0.01;
  public static final String SCRIPT_CITY = "<script>alert('x')</script> & Co";
  public static final String FORMULA_CITY = "=HYPERLINK(\"http://evil.example\",\"click\")";

  private static SamplePipeline instance;

  public final Path root;
  public final Path inputs;
  public final Path lakehouse;
  public final Path reports;
  public final CliRunner.Result first;

  private SamplePipeline() throws IOException {
    String dir = System.getProperty("sample.pipeline.dir");
    root = dir == null ? Files.createTempDirectory("lr-sample-pipeline") : fresh(Path.of(dir));
    inputs = root.resolve("inputs");
    lakehouse = root.resolve("lakehouse");
    reports = root.resolve("reports");
    CliRunner.Result gen = CliRunner.run("generate-sample", "--conf", "conf/local.conf", "--out", inputs.toString(),
        "--countries", "AT,BE,NL,SE,PT,IE", "--first-year", "2012", "--last-year", "2020", "--respondents", "60",
        "--seed", "11", "--beta", Double.toString(BETA));
    assertEquals(0, gen.exitCode(), gen.err());
    // Hostile registry entries in real regions of the sample (Wien, Lisboa): their names reach every format.
    Files.writeString(inputs.resolve("learning_cities.csv"), "\"" + SCRIPT_CITY.replace("\"", "\"\"")
        + "\",AT,AT13,2014,test\n\"" + FORMULA_CITY.replace("\"", "\"\"") + "\",PT,PT17,2016,\"@SUM(1+1)\"\n",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    first = CliRunner.run(args("pipeline", "--input", inputs.toString()));
    assertEquals(0, first.exitCode(), first.err());
  }

  private static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir).toAbsolutePath();
  }

  /** The shared run, made on first use. */
  public static synchronized SamplePipeline get() {
    if (instance == null) {
      try {
        instance = new SamplePipeline();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** {@code command} with the local configuration and the shared lakehouse and reports directory. */
  public String[] args(String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--conf", "conf/local.conf", "-Dlakehouse=" + lakehouse, "-Dreports=" + reports));
    return a.toArray(new String[0]);
  }

  /** The report directory of the first run. */
  public Path reportDir() {
    try (Stream<Path> s = Files.list(reports)) {
      return s.filter(Files::isDirectory).sorted().findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of the shared lakehouse at {@code target}, for a test that writes to it. */
  public Path copy(Path target) {
    try (Stream<Path> files = Files.walk(lakehouse)) {
      for (Path p : files.toList()) {
        Path to = target.resolve(lakehouse.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
