package org.learningregions.ingest;

import org.learningregions.lake.TableId;

/**
 * What ingesting one file did: rows read (records or cells), accepted into silver (a merged row counts its parts)
 * and quarantined, and the Delta versions its writes produced. Every row read is in exactly one of the two.
 */
record FileOutcome(InputFile file, TableId target, long rowsRead, long rowsAccepted, long rowsQuarantined,
    long bronzeVersion, long silverVersion, long quarantineVersion) {

  FileOutcome withBronzeVersion(long version) {
    return new FileOutcome(file, target, rowsRead, rowsAccepted, rowsQuarantined, version, silverVersion,
        quarantineVersion);
  }

  boolean reconciled() {
    return rowsRead == rowsAccepted + rowsQuarantined;
  }
}
