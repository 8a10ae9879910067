package org.learningregions.ingest;

/**
 * One input file as detected: where it is, what it holds, its dataset code and checksum, and its header line.
 *
 * @param path the file's URI or local path
 * @param format the detected format
 * @param dataset dataset code (Eurostat or OECD), from the command line, the file name or the file's content
 * @param sha256 hex SHA-256 of the file's bytes: the file's identity in bronze
 * @param bytes file size
 * @param header the first line, without its line terminator (empty for Parquet)
 * @param charset the text encoding the file is read with (UTF-8, or ISO-8859-1 for OECD.Stat exports)
 */
public record InputFile(String path, SourceFormat format, String dataset, String sha256, long bytes, String header,
    String charset) {
  public String fileName() {
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }
}
