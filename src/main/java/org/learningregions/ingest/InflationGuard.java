package org.learningregions.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes a decompressing stream hands out and stops it, with {@link LimitExceeded}, when they pass
 * {@link IngestLimits#maxDecompressedBytes()} or, past {@link IngestLimits#RATIO_FLOOR}, exceed
 * {@link IngestLimits#maxCompressionRatio()} times the compressed bytes consumed, over the stream so far or over any
 * window of {@link IngestLimits#RATIO_FLOOR} output bytes. A gzip bomb is stopped within the first window of its
 * bomb part (8 MiB of output), not after inflating it.
 */
final class InflationGuard extends FilterInputStream {
  private final Counting compressed;
  private final IngestLimits limits;
  private long out;
  /** Where the current window of {@link IngestLimits#RATIO_FLOOR} output bytes began, on both sides. */
  private long windowOut;
  private long windowIn;

  /** The compressed side: counts the bytes the decompressor has taken. */
  static final class Counting extends FilterInputStream {
    private long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    long count() {
      return count;
    }
  }

  InflationGuard(InputStream decompressed, Counting compressed, IngestLimits limits) {
    super(decompressed);
    this.compressed = compressed;
    this.limits = limits;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      check(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      check(n);
    }
    return n;
  }

  private void check(int n) throws LimitExceeded {
    out += n;
    if (out > limits.maxDecompressedBytes()) {
      throw new LimitExceeded(FileProblem.DECOMPRESSED_TOO_LARGE, "(more than " + limits.maxDecompressedBytes()
          + " bytes; ingest.limits.max-decompressed-bytes)");
    }
    long in = compressed.count();
    // Over the whole stream so far, and over each window of RATIO_FLOOR output bytes: incompressible bytes in front
    // of a bomb lower the first ratio, not the second.
    if (out > IngestLimits.RATIO_FLOOR && out > limits.maxCompressionRatio() * Math.max(1, in)) {
      throw ratio(out, in);
    }
    if (out - windowOut >= IngestLimits.RATIO_FLOOR) {
      if (out - windowOut > limits.maxCompressionRatio() * Math.max(1, in - windowIn)) {
        throw ratio(out - windowOut, in - windowIn);
      }
      windowOut = out;
      windowIn = in;
    }
  }

  private LimitExceeded ratio(long produced, long consumed) {
    return new LimitExceeded(FileProblem.COMPRESSION_RATIO, String.format(java.util.Locale.ROOT,
        "(%d bytes out of %d, more than %.0f times; ingest.limits.max-compression-ratio)", produced, consumed,
        limits.maxCompressionRatio()));
  }
}
