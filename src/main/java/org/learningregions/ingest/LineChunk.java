package org.learningregions.ingest;

import java.io.Serializable;

/**
 * A run of whole lines of a file that one Spark task reads: its byte range and the number of its first line. Found
 * by the driver's scan of the file, so line numbers are exact without a counting pass in Spark.
 *
 * @param offset byte offset of the first line (in the file; in the decompressed stream for gzip, which has a single
 *     chunk starting at 0)
 * @param length bytes of the chunk, ending after a line terminator or at the end of the file
 * @param firstLine 1-based number of its first line
 */
public record LineChunk(long offset, long length, long firstLine) implements Serializable {}
