package org.learningregions.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.learningregions.LearningRegionsException;

/** Writes a report file through a temporary sibling and an atomic rename. */
final class AtomicFile {
  private AtomicFile() {}

  /** Writes the bytes of a file; the stream is closed by the caller. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code file} through a temporary file in the same directory (same file system, so the move is a rename)
   * and moves it over the target, so that a reader never sees half a report file. Every report format uses it.
   *
   * @throws LearningRegionsException when the file cannot be written; the temporary file is removed
   */
  static void write(Path file, Body body) {
    Path target = file.toAbsolutePath();
    // Not Files.createTempFile: it creates the file with mode 600, which the move would carry over to the report.
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
        body.writeTo(out);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Some file systems (SMB shares, a few FUSE mounts) cannot rename atomically: still replace, non-atomically.
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot write " + file + ": " + cause(e), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** The cause in words: a file system exception's message is often only a path, so its kind is named too. */
  static String cause(IOException e) {
    String message = e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    return e instanceof FileSystemException ? e.getClass().getSimpleName() + ": " + message : message;
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // Best effort: the export itself has already succeeded or already failed with a better message.
    }
  }
}
