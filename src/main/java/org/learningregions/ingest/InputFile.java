package org.learningregions.ingest;

import java.util.List;

/**
 * One input file as the driver's scan found it: where it is, what it holds, its identity and how to read it in
 * parallel.
 *
 * @param path the file's URI or local path
 * @param format the detected format
 * @param dataset dataset code (Eurostat or OECD), from the command line, the file name or the file's content
 * @param sha256 hex SHA-256 of the file's bytes (compressed bytes for .gz): with the parse settings, its identity
 * @param bytes file size
 * @param modifiedMs modification time, ms since the epoch
 * @param header the first line, without its line terminator (empty for Parquet)
 * @param charset the text encoding the file is read with (UTF-8, ISO-8859-1 for OECD.Stat exports; "binary" for
 *     Parquet)
 * @param lines lines in the file, header included (0 for Parquet)
 * @param blankLines lines holding only blanks, which are not records
 * @param chunks line-aligned byte ranges for parallel reading (empty for Parquet)
 */
public record InputFile(String path, SourceFormat format, String dataset, String sha256, long bytes, long modifiedMs,
    String header, String charset, long lines, long blankLines, List<LineChunk> chunks) {

  public InputFile {
    chunks = List.copyOf(chunks);
  }

  /** The file's name: the key of its rows in every layer. */
  public String fileName() {
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }

  public boolean gzip() {
    return path.endsWith(".gz");
  }

  /** The same file read as another dataset (the --dataset option). */
  public InputFile withDataset(String code) {
    return new InputFile(path, format, code, sha256, bytes, modifiedMs, header, charset, lines, blankLines, chunks);
  }
}
