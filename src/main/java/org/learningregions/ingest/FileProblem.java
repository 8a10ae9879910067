package org.learningregions.ingest;

/**
 * Why a whole input file is refused (nothing of it is written). Each problem builds its one-line message here, so
 * every file-level error reads the same way: {@code <file>: <what is wrong>}. Row-level problems are quarantine
 * reason codes instead ({@code validate.ReasonCode}).
 */
public enum FileProblem {
  NOT_FOUND("file not found", ": "),
  UNREADABLE("cannot read", " "),
  EMPTY("empty file", " "),
  NO_DATA_ROWS("no data rows after the header", " "),
  NOT_UTF8("not valid UTF-8 text", " "),
  /** NUL bytes: a binary file (an image, a spreadsheet, compressed data) under a text file's name. */
  BINARY("binary content, not text", " "),
  CORRUPT_GZIP("truncated or corrupt gzip", " "),
  TRUNCATED("truncated file", " "),
  /** The content is none of the formats ingest reads: skipped with a note when found in a directory. */
  UNKNOWN_LAYOUT("unknown header layout", ": "),
  MISSING_COLUMN("missing required column", " "),
  BAD_HEADER("unreadable header", ": "),
  /** Two header columns with the same name: which one a value belongs to is not decidable. */
  DUPLICATE_COLUMN("duplicate column in the header", ": "),
  /** A line longer than {@code ingest.limits.max-line-bytes}. */
  LINE_TOO_LONG("line longer than the limit", " "),
  /** More header fields than {@code ingest.limits.max-columns}. */
  TOO_MANY_COLUMNS("more columns than the limit", " "),
  /** A compressed file that expands beyond {@code ingest.limits.max-decompressed-bytes}. */
  DECOMPRESSED_TOO_LARGE("expands beyond the decompressed-size limit", " "),
  /** A compressed file that expands more than {@code ingest.limits.max-compression-ratio} times: a bomb. */
  COMPRESSION_RATIO("compression ratio above the limit", " "),
  /** Two inputs of one run are different versions of the same source (same file name). */
  CONFLICTING_VERSIONS("two different files with this name in one run", ": ");

  private final String text;
  private final String separator;

  FileProblem(String text, String separator) {
    this.text = text;
    this.separator = separator;
  }

  /** The problem in words, as it starts the detail of the message. */
  public String text() {
    return text;
  }

  /** The one-line message for {@code file}, with an optional detail in parentheses or after a colon. */
  public String message(String file, String detail) {
    if (detail == null || detail.isBlank()) {
      return file + ": " + text;
    }
    return file + ": " + text + (detail.startsWith("(") ? " " : separator) + detail;
  }
}
