package org.learningregions.ingest;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines the way every part of ingest counts them: {@code \n}, {@code \r\n} and a lone
 * {@code \r} end a line (as {@link java.io.BufferedReader} does), the terminator is not part of the line, and a last
 * line without a terminator is a line. The driver's scan of a file and the executors' reads of its chunks use this
 * one class, so a line number means the same everywhere. Lines are handed out as a reused byte buffer: no object
 * per line.
 */
final class LineIterator {
  private static final int READ = 1 << 16;

  private final InputStream in;
  private final long limit;
  private final long maxLineBytes;
  private final byte[] read = new byte[READ];
  private int readPos;
  private int readLen;
  private long consumed;
  private byte[] line = new byte[256];
  private int lineLen;
  private boolean pendingCr;
  private boolean eof;
  private boolean lastTerminated = true;
  private long lines;

  /**
   * @param in the bytes (already decompressed)
   * @param limit bytes to split (a chunk's length), or -1 for the whole stream; a chunk ends after a terminator
   */
  LineIterator(InputStream in, long limit) {
    this(in, limit, IngestLimits.MAX_LINE);
  }

  /**
   * @param maxLineBytes longest line accepted: a longer one stops the iteration with {@link LimitExceeded} before
   *     more of it is buffered
   */
  LineIterator(InputStream in, long limit, long maxLineBytes) {
    this.in = in;
    this.limit = limit;
    this.maxLineBytes = maxLineBytes;
  }

  /** Advances to the next line; false at the end. */
  boolean next() throws IOException {
    lineLen = 0;
    boolean any = false;
    while (true) {
      if (readPos == readLen && !fill()) {
        if (pendingCr) {
          pendingCr = false;
          lines++;
          lastTerminated = true;
          return true;
        }
        if (any) {
          lines++;
          lastTerminated = false;
          return true;
        }
        return false;
      }
      byte b = read[readPos];
      if (pendingCr) {
        pendingCr = false;
        if (b == '\n') {
          readPos++;
          consumed++;
        }
        lines++;
        lastTerminated = true;
        return true;
      }
      readPos++;
      consumed++;
      if (b == '\n') {
        lines++;
        lastTerminated = true;
        return true;
      }
      if (b == '\r') {
        // A lone \r ends the line too; whether a \n follows is only known at the next byte (or the end).
        pendingCr = true;
        any = true;
        continue;
      }
      any = true;
      if (lineLen >= maxLineBytes) {
        throw new LimitExceeded(FileProblem.LINE_TOO_LONG, "(line " + (lines + 1) + ": more than " + maxLineBytes
            + " bytes; ingest.limits.max-line-bytes)");
      }
      if (lineLen == line.length) {
        byte[] bigger = new byte[(int) Math.min(Integer.MAX_VALUE - 8, line.length * 2L)];
        System.arraycopy(line, 0, bigger, 0, lineLen);
        line = bigger;
      }
      line[lineLen++] = b;
    }
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int want = READ;
    if (limit >= 0) {
      long left = limit - consumed;
      if (left <= 0) {
        eof = true;
        return false;
      }
      want = (int) Math.min(READ, left);
    }
    int n = in.read(read, 0, want);
    if (n <= 0) {
      eof = true;
      return false;
    }
    readPos = 0;
    readLen = n;
    return true;
  }

  /** The current line's bytes (valid up to {@link #length()}, until the next call of {@link #next()}). */
  byte[] bytes() {
    return line;
  }

  int length() {
    return lineLen;
  }

  /** Lines returned so far: the current line's 1-based number. */
  long lineNumber() {
    return lines;
  }

  /** Bytes consumed so far: after the current line's terminator, the offset where the next line starts. */
  long position() {
    return consumed;
  }

  /** Whether the last line returned ended with a terminator (false: the stream ended in the middle of a line). */
  boolean lastTerminated() {
    return lastTerminated;
  }

  /** True when the current line holds only blanks (spaces, tabs, control characters). */
  boolean blank() {
    for (int i = 0; i < lineLen; i++) {
      if ((line[i] & 0xff) > ' ') {
        return false;
      }
    }
    return true;
  }
}
