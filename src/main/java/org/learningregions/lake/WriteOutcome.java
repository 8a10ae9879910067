package org.learningregions.lake;

/**
 * What one write did to one table: its Delta version before and after (-1: did not exist), the rows it wrote, the
 * rows the table holds afterwards (-1 when the write replaced only part of the table and nothing counted the rest),
 * and whether anything changed. An unchanged table gets no new Delta version.
 */
public record WriteOutcome(TableId table, long versionBefore, long versionAfter, long rowsWritten, long rowsInTable,
    boolean changed) {

  /** A table left as it was. */
  public static WriteOutcome unchanged(TableId table, long version) {
    return new WriteOutcome(table, version, version, 0, -1, false);
  }
}
