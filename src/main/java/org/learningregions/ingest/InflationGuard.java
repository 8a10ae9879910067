package org.learningregions.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes a decompressing stream hands out and stops it, with {@link LimitExceeded}, when they pass
 * {@link IngestLimits#maxDecompressedBytes()} or, past {@link IngestLimits#RATIO_FLOOR}, exceed
 * {@link IngestLimits#maxCompressionRatio()} times the compressed bytes consumed so far. A gzip bomb is stopped after
 * reading a few megabytes of it, not after inflating it.
 */
final class InflationGuard extends FilterInputStream {
  private final Counting compressed;
  private final IngestLimits limits;
  private long out;

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
    long in = Math.max(1, compressed.count());
    if (out > IngestLimits.RATIO_FLOOR && out > limits.maxCompressionRatio() * in) {
      throw new LimitExceeded(FileProblem.COMPRESSION_RATIO, String.format(java.util.Locale.ROOT,
          "(%d bytes out of %d, more than %.0f times; ingest.limits.max-compression-ratio)", out, in,
          limits.maxCompressionRatio()));
    }
  }
}
