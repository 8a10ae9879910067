package org.learningregions.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.learningregions.LearningRegionsException;

/**
 * Local files that readers never see half-written: each is written to a temporary sibling (same directory, so the
 * same file system) and renamed over the target. Report formats, fit outputs and downloads all go through here.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the bytes of a file; the stream is closed by the caller. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code file} through a temporary sibling and an atomic rename.
   *
   * @throws LearningRegionsException when the file cannot be written; the temporary file is removed
   */
  public static void write(Path file, Body body) {
    Path target = file.toAbsolutePath();
    // Not Files.createTempFile: it creates the file with mode 600, which the move would carry over to the target.
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
        body.writeTo(out);
      }
      moveIntoPlace(tmp, target);
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot write " + file + ": " + cause(e), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** Writes a text file (UTF-8) atomically. */
  public static void writeString(Path file, String text) {
    write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Renames {@code source} over {@code target}: atomically where the file system can, else still replacing it (some
   * SMB shares and FUSE mounts cannot rename atomically).
   */
  public static void moveIntoPlace(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The cause in words: a file system exception's message is often only a path, so its kind is named too. */
  public static String cause(IOException e) {
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
      // Best effort: the write itself has already succeeded or already failed with a better message.
    }
  }
}
