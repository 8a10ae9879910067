package org.learningregions.ingest;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * The inputs of the hostile corpus too large to keep in git (src/test/resources/hostile/MANIFEST.tsv names them
 * {@code generated:}), written at test time. Each is built to breach one of {@link IngestLimits#DEFAULTS}.
 */
final class HostileFiles {
  static final String TSV_HEADER = "freq,unit,sex,age,geo\\TIME_PERIOD\t2015 \n";

  private HostileFiles() {}

  /** Writes the generated input named in the manifest (without its {@code generated:} prefix) under {@code dir}. */
  static Path write(Path dir, String name) throws IOException {
    Path p = dir.resolve(name);
    switch (name) {
      case "struct-long-line.estat_trng_lfse_04.tsv" -> longLine(p, 50L << 20);
      case "struct-100k-columns.estat_trng_lfse_04.tsv" -> manyColumns(p, 100_000);
      case "gz-bomb.estat_trng_lfse_04.tsv.gz" -> gzipBomb(p, 500);
      case "loop/" -> symlinkLoop(p);
      default -> throw new IllegalArgumentException("no generator for " + name);
    }
    return p;
  }

  /** One line of {@code bytes} letters and no newline. */
  static void longLine(Path p, long bytes) throws IOException {
    byte[] block = new byte[1 << 20];
    Arrays.fill(block, (byte) 'A');
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p))) {
      for (long left = bytes; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }

  /** A bulk TSV whose header has {@code years} distinct time columns, and one data row of as many cells. */
  static void manyColumns(Path p, int years) throws IOException {
    StringBuilder header = new StringBuilder("freq,unit,sex,age,geo\\TIME_PERIOD");
    StringBuilder row = new StringBuilder("A,PC,T,Y25-64,FI1C");
    for (int i = 0; i < years; i++) {
      header.append("\tT").append(i).append(' ');
      row.append("\t1.0 ");
    }
    Files.writeString(p, header + "\n" + row + "\n", StandardCharsets.UTF_8);
  }

  /**
   * A gzip bomb: a valid bulk TSV header, then {@code members} gzip members that each inflate one data line repeated
   * to about 10 MB (multi-member gzip is legal, and every reader inflates all members): a few megabytes that expand
   * to gigabytes. Deflate cannot expand one member more than about 1,000 times, so "a few KB to gigabytes" takes
   * nesting, which ingest never unpacks.
   */
  static void gzipBomb(Path p, int members) throws IOException {
    byte[] line = "A,PC,T,Y25-64,FI1D\t1.0 \n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream member = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(member)) {
      for (int i = 0; i < 10_000_000 / line.length; i++) {
        gz.write(line);
      }
    }
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(head)) {
      gz.write(TSV_HEADER.getBytes(StandardCharsets.UTF_8));
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p))) {
      out.write(head.toByteArray());
      for (int i = 0; i < members; i++) {
        out.write(member.toByteArray());
      }
    }
  }

  /** A directory holding one good file and a symbolic link to itself. */
  static void symlinkLoop(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("loop-data.estat_trng_lfse_04.tsv"), TSV_HEADER + "A,PC,T,Y25-64,FI19\t6.0 \n",
        StandardCharsets.UTF_8);
    Files.createSymbolicLink(dir.resolve("again"), Path.of("."));
  }
}
