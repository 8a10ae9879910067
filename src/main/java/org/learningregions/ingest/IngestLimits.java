package org.learningregions.ingest;

import org.learningregions.config.AppConfig;

/**
 * Limits that protect the machine from what an input file can make ingest do ({@code ingest.limits}). A file that
 * breaches one is refused whole, before anything of it is written, with a one-line error that names the limit and
 * its setting; the scan stops at the breach, so a bomb costs at most the limit's worth of reading.
 *
 * @param maxLineBytes longest line, in bytes without its terminator
 * @param maxColumns most fields in the header line
 * @param maxDecompressedBytes most bytes a compressed file may expand to
 * @param maxCompressionRatio most decompressed bytes per compressed byte, checked once {@link #RATIO_FLOOR} bytes
 *     are out (a small, very repetitive file is not a bomb)
 */
public record IngestLimits(long maxLineBytes, int maxColumns, long maxDecompressedBytes,
    double maxCompressionRatio) {

  /** The longest line a Java array can hold. */
  static final long MAX_LINE = Integer.MAX_VALUE - 8;

  /** Decompressed bytes below which the ratio is not checked. */
  public static final long RATIO_FLOOR = 8L << 20;

  /** The reference.conf values, for callers without a configuration (tests, tools). */
  public static final IngestLimits DEFAULTS = new IngestLimits(16L << 20, 10_000, 8L << 30, 200);

  public IngestLimits {
    // A line is buffered in one Java array: at most Integer.MAX_VALUE - 8 bytes.
    if (maxLineBytes < 1 || maxLineBytes > MAX_LINE || maxColumns < 1 || maxDecompressedBytes < 1
        || !(maxCompressionRatio >= 1)) {
      throw org.learningregions.LearningRegionsException.usage(
          "ingest.limits: every limit must be positive (max-compression-ratio at least 1, max-line-bytes below 2g)");
    }
  }

  static IngestLimits from(AppConfig config) {
    return new IngestLimits(config.raw().getBytes("ingest.limits.max-line-bytes"),
        config.integer("ingest.limits.max-columns"), config.raw().getBytes("ingest.limits.max-decompressed-bytes"),
        config.number("ingest.limits.max-compression-ratio"));
  }
}
