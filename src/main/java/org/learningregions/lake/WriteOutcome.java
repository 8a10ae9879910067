package org.learningregions.lake;

/**
 * What one write did to one table: its Delta version before and after (-1: did not exist), rows it now holds or
 * rows the write touched, and whether anything changed. An unchanged table gets no new Delta version.
 */
public record WriteOutcome(TableId table, long versionBefore, long versionAfter, long rowsWritten, long rowsInTable,
    boolean changed) {}
