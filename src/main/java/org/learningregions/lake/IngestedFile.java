package org.learningregions.lake;

/**
 * One row of meta.ingested_files: the current content of one source (a file name) and what ingesting it wrote.
 *
 * @param sourceFile the file's name, the key of its rows in bronze, silver and quarantine (their partition value)
 * @param path where it was read from
 * @param sha256 hex SHA-256 of its bytes (compressed bytes for .gz)
 * @param bytes its size
 * @param modifiedMs its modification time (ms since the epoch), for the quick unchanged check
 * @param dataset dataset code it was read as
 * @param format detected format
 * @param charset text encoding it was read with
 * @param parseFingerprint hash of the settings that decide how it is parsed and validated
 * @param target the silver table its rows went to
 * @param rowsRead records read (lines or cells)
 * @param rowsAccepted rows accepted into silver (a merged row counts its parts)
 * @param rowsQuarantined rows sent to quarantine
 * @param bronzeVersion Delta version of its bronze table after the write
 * @param silverVersion Delta version of its silver table after the write
 * @param quarantineVersion Delta version of its quarantine table after the write (-1: none written)
 * @param runId the run that ingested it
 * @param ingestedAt when (UTC, ISO 8601)
 */
public record IngestedFile(String sourceFile, String path, String sha256, long bytes, long modifiedMs, String dataset,
    String format, String charset, String parseFingerprint, String target, long rowsRead, long rowsAccepted,
    long rowsQuarantined, long bronzeVersion, long silverVersion, long quarantineVersion, String runId,
    String ingestedAt) {

  /** The identity that makes a re-read unnecessary: same bytes, parsed the same way. */
  public String identity() {
    return sha256 + ":" + parseFingerprint;
  }
}
