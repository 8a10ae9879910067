package org.learningregions.ingest;

import java.util.List;

/**
 * One input file as the driver's scan found it: where it is, what it holds, its identity and how to read it in
 * parallel.
 *
 * @param path the file's URI or local path
 * @param name the key of its rows in every layer: the file's name, or its path relative to the input directory it
 *     was found under ({@code eurostat_2024/trng_lfse_04.tsv}); the directory part is the file's vintage
 * @param format the detected format
 * @param dataset dataset code (Eurostat or OECD), from the command line, the file name or the file's content
 * @param sha256 hex SHA-256 of the file's bytes (compressed bytes for .gz): with the parse settings, its identity
 * @param contentSha256 hex SHA-256 of the decompressed bytes (equal to {@code sha256} for a plain file): a .gz copy
 *     of a plain file in the same run is the same content
 * @param bytes file size
 * @param modifiedMs modification time, ms since the epoch
 * @param header the first line, without its line terminator (empty for Parquet)
 * @param charset the text encoding the file is read with (UTF-8, ISO-8859-1 for OECD.Stat exports; "binary" for
 *     Parquet)
 * @param lines lines in the file, header included (0 for Parquet)
 * @param blankLines lines holding only blanks, which are not records
 * @param chunks line-aligned byte ranges for parallel reading (empty for Parquet)
 */
public record InputFile(String path, String name, SourceFormat format, String dataset, String sha256,
    String contentSha256, long bytes, long modifiedMs, String header, String charset, long lines, long blankLines,
    List<LineChunk> chunks) {

  public InputFile {
    chunks = List.copyOf(chunks);
  }

  /** The key of the file's rows in every layer ({@code name}). */
  public String fileName() {
    return name;
  }

  /** The last segment of a path: the name of a file given on its own. */
  public static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }

  /** The same file keyed by another name (its path relative to the directory it was found under). */
  public InputFile withName(String sourceName) {
    return new InputFile(path, sourceName, format, dataset, sha256, contentSha256, bytes, modifiedMs, header, charset,
        lines, blankLines, chunks);
  }

  public boolean gzip() {
    return path.endsWith(".gz");
  }

  /** The same file read as another dataset (the --dataset option). */
  public InputFile withDataset(String code) {
    return new InputFile(path, name, format, code, sha256, contentSha256, bytes, modifiedMs, header, charset, lines,
        blankLines, chunks);
  }
}
