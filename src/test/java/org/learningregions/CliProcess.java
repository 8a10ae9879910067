package org.learningregions;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The CLI in its own JVM, for the tests whose kill must hit a real process. Spark's module options, the collector and
 * the thread stack size are this JVM's (the pom's argLine, which follows the launcher's). The classes are this
 * build's, packed as one jar beside the dependency jars, with a class-data-sharing archive made once per test JVM by
 * a one-line {@code sql} query, as jobs/learning-regions makes one for its jar: the kill-anywhere soak starts the CLI
 * two dozen times, and the archive saves about 3 s of each start (the launcher's ingest of one small file, measured
 * 2026-12-03: 26.2 s without, 23.0 s with). The JVM archives classes from jars only, hence the jar of
 * target/classes. Should the archive not be made, the CLI runs without it.
 */
public final class CliProcess {
  private static List<String> classPath;

  private CliProcess() {}

  /** Starts the CLI with {@code args}, its standard output and error in {@code log}. */
  public static Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(jvm());
    cmd.addAll(classPath());
    cmd.add("org.learningregions.cli.LearningRegions");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  private static List<String> jvm() {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1500m"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty") || a.startsWith("--enable-native-access") || a.matches("-XX:\\+Use\\w+GC")
          || a.startsWith("-Xss")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dlog4j2.configurationFile=conf/log4j2.properties");
    return cmd;
  }

  /** {@code -cp} with the build's classes as a jar, and the archive's options when it could be made. */
  private static synchronized List<String> classPath() throws IOException {
    if (classPath != null) {
      return classPath;
    }
    Path dir = Files.createDirectories(Path.of("target", "cli-process"));
    Path jar = dir.resolve("classes.jar");
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e);
      if (Files.isDirectory(p) && p.getFileName().toString().equals("classes")) {
        pack(p, jar);
        entries.add(0, jar.toAbsolutePath().toString());
      } else if (!Files.isDirectory(p)) {
        entries.add(e);
      }
    }
    List<String> cp = List.of("-cp", String.join(File.pathSeparator, entries));
    Path archive = dir.resolve("classes.jsa");
    Files.deleteIfExists(archive);
    List<String> dump = new ArrayList<>(jvm());
    dump.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=off"));
    dump.addAll(cp);
    dump.addAll(List.of("org.learningregions.cli.LearningRegions", "sql",
        "-Dlakehouse=" + dir.resolve("lakehouse").toAbsolutePath(), "select 1"));
    try {
      Process p = new ProcessBuilder(dump).redirectErrorStream(true)
          .redirectOutput(dir.resolve("archive.log").toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly(); // a stuck dump leaves no archive: the CLI runs without one
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> options = new ArrayList<>();
    if (Files.isRegularFile(archive)) {
      options.addAll(List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-Xshare:auto", "-Xlog:cds*=off"));
    }
    options.addAll(cp);
    classPath = List.copyOf(options);
    return classPath;
  }

  private static void pack(Path classes, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(f -> !f.equals(classes)).sorted()::iterator) {
        String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
        // Directory entries too, as Maven's jar has them: a resource directory can then be found by name.
        boolean directory = Files.isDirectory(f);
        j.putNextEntry(new JarEntry(directory ? name + "/" : name));
        if (!directory) {
          Files.copy(f, j);
        }
        j.closeEntry();
      }
    }
  }
}
