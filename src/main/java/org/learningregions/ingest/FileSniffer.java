package org.learningregions.ingest;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.learningregions.util.Hashing;

/**
 * Decides a file's format from its content, its encoding, its dataset code and its SHA-256, in one streaming pass
 * through Hadoop's FileSystem (s3a/abfss/hdfs inputs work as local ones do). The same pass checks every line's
 * encoding, counts lines and records line-aligned chunks for Spark to read in parallel with exact line numbers, so
 * an encoding error anywhere, a truncated gzip stream or a cut-off last line stops the file before anything of it is
 * written, and no Spark job has to count lines. File-level problems end here as an {@link InputFileException}.
 *
 * <p>Text must be UTF-8 (with or without BOM), except OECD.Stat CSV exports, which were Latin-1: a file that is not
 * valid UTF-8 and whose header reads as an OECD.Stat export in Latin-1 is read as Latin-1. Parquet is recognised by
 * its magic number.
 */
public final class FileSniffer {
  private static final Pattern ESTAT_CODE = Pattern.compile(
      "(?i)(?:estat_)?([a-z]{2,6}_[a-z0-9_]+?)(?:_(?:tabular|sdmx))?\\.(?:tsv|csv|txt)(?:\\.gz)?$");
  private static final Pattern OECD_FLOW = Pattern.compile("@([A-Za-z0-9_]+)\\(");
  private static final Pattern ESTAT_FLOW = Pattern.compile("ESTAT:([A-Za-z0-9_]+)\\(");

  private FileSniffer() {}

  /** What the pass saw. */
  private record Scan(String header, String second, String last, boolean endsWithTerminator, long lines,
      long blankLines, long firstInvalidLine, long firstNulLine, String sha256, String contentSha256,
      List<LineChunk> chunks) {}

  /**
   * Scans one file.
   *
   * @param chunkBytes target size of the chunks Spark reads in parallel (plain files; a gzip file is one chunk)
   */
  public static InputFile sniff(String location, String datasetOverride, MicrodataColumns microdata,
      Configuration hadoop, long chunkBytes) {
    return sniff(location, datasetOverride, microdata, hadoop, chunkBytes, chunkBytes);
  }

  /**
   * Scans one file, with chunks of {@code tsvChunkBytes} for a Eurostat bulk TSV: each of its lines holds a whole
   * time series, so its parsing costs many times a one-record line's per byte.
   */
  public static InputFile sniff(String location, String datasetOverride, MicrodataColumns microdata,
      Configuration hadoop, long chunkBytes, long tsvChunkBytes) {
    return sniff(location, datasetOverride, microdata, hadoop, chunkBytes, tsvChunkBytes, IngestLimits.DEFAULTS);
  }

  /** Scans one file within {@code limits}: a breach refuses it with the limit's {@link FileProblem}. */
  public static InputFile sniff(String location, String datasetOverride, MicrodataColumns microdata,
      Configuration hadoop, long chunkBytes, long tsvChunkBytes, IngestLimits limits) {
    Path path = new Path(location);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path)) {
        throw new InputFileException(location, FileProblem.NOT_FOUND, null);
      }
      FileStatus st = fs.getFileStatus(path);
      long bytes = st.getLen();
      if (bytes == 0) {
        throw new InputFileException(location, FileProblem.EMPTY, null);
      }
      if (isParquet(fs, path)) {
        String dataset = datasetOverride != null ? datasetOverride : path.getName().replaceAll("\\.parquet$", "");
        String sha = digest(fs, path);
        return new InputFile(location, InputFile.baseName(location), SourceFormat.MICRODATA_PARQUET, dataset, sha,
            sha, bytes, st.getModificationTime(), "", "binary", 0, 0, List.of());
      }
      Scan scan = scan(fs, path, location.endsWith(".gz"), chunkBytes, tsvChunkBytes, limits);
      return describe(location, datasetOverride, microdata, bytes, st.getModificationTime(), scan, limits);
    } catch (LimitExceeded e) {
      throw new InputFileException(location, e.problem(), e.getMessage());
    } catch (ZipException e) {
      throw new InputFileException(location, FileProblem.CORRUPT_GZIP, "(" + e.getMessage() + ")");
    } catch (EOFException e) {
      throw new InputFileException(location, FileProblem.TRUNCATED, "(" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new InputFileException(location, FileProblem.UNREADABLE, "(" + e.getMessage() + ")", e);
    }
  }

  private static InputFile describe(String location, String datasetOverride, MicrodataColumns microdata, long bytes,
      long modified, Scan scan, IngestLimits limits) {
    String header = scan.header();
    // FF FE and FE FF are not UTF-8: only then was the header decoded byte by byte, and only then is this a BOM.
    if (header != null && scan.firstInvalidLine() == 1
        && (header.startsWith("\u00FF\u00FE") || header.startsWith("\u00FE\u00FF"))) {
      throw new InputFileException(location, FileProblem.NOT_UTF8, "(UTF-16: byte-order mark "
          + (header.charAt(0) == '\u00FF' ? "FF FE" : "FE FF") + "; save the file as UTF-8)");
    }
    if (scan.firstNulLine() > 0) {
      throw new InputFileException(location, FileProblem.BINARY, "(NUL byte on line " + scan.firstNulLine() + ")");
    }
    if (header == null || header.isBlank()) {
      throw new InputFileException(location, FileProblem.EMPTY, null);
    }
    if (header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    String charset = "UTF-8";
    if (scan.firstInvalidLine() > 0) {
      // Only an OECD.Stat export may be Latin-1; anything else that is not UTF-8 is refused whole.
      if (detect(header, microdata) != SourceFormat.OECD_STAT_CSV) {
        throw new InputFileException(location, FileProblem.NOT_UTF8, "(line " + scan.firstInvalidLine() + ")");
      }
      charset = "ISO-8859-1";
    }
    // The layout first: a one-line note beside the data is not a data file without rows.
    SourceFormat format = detect(header, microdata);
    if (format == null) {
      throw new InputFileException(location, FileProblem.UNKNOWN_LAYOUT,
          header.length() > 80 ? header.substring(0, 80) + "..." : header);
    }
    checkColumns(location, header, format, limits);
    if (scan.second() == null || scan.second().isBlank()) {
      throw new InputFileException(location, FileProblem.NO_DATA_ROWS, null);
    }
    // A file cut off mid-write ends without a line terminator in the middle of a record: its last line has fewer
    // fields than the header.
    if (!scan.endsWithTerminator() && fields(scan.last(), format) != fields(header, format)) {
      throw new InputFileException(location, FileProblem.TRUNCATED, "(last line " + fields(scan.last(), format)
          + " fields, header " + fields(header, format) + ", no final newline)");
    }
    String dataset = datasetOverride != null ? datasetOverride : dataset(location, format, scan.second());
    return new InputFile(location, InputFile.baseName(location), format, dataset, scan.sha256(),
        scan.contentSha256(), bytes, modified, header, charset, scan.lines(), scan.blankLines(), scan.chunks());
  }

  /**
   * The header's column count within the limit. Duplicate names are the readers' header checks
   * ({@link InputPlan#checkHeader}), which know how each format names its columns.
   */
  private static void checkColumns(String location, String header, SourceFormat format, IngestLimits limits) {
    int n = fields(header, format);
    if (n > limits.maxColumns()) {
      throw new InputFileException(location, FileProblem.TOO_MANY_COLUMNS, "(" + n + " columns, more than "
          + limits.maxColumns() + "; ingest.limits.max-columns)");
    }
  }

  private static int fields(String line, SourceFormat format) {
    if (format == SourceFormat.EUROSTAT_TSV) {
      return line.split("\t", -1).length;
    }
    return CsvHeader.split(line).size();
  }

  private static boolean isParquet(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 'P' && magic[1] == 'A' && magic[2] == 'R' && magic[3] == '1';
    }
  }

  private static String digest(FileSystem fs, Path path) throws IOException {
    return digest(fs, path, new AtomicBoolean());
  }

  /**
   * The SHA-256 of a file's bytes, read to its end unless {@code stop} is set first (the file was refused: the rest
   * of it need not be read).
   */
  private static String digest(FileSystem fs, Path path, AtomicBoolean stop) throws IOException {
    MessageDigest sha = Hashing.sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = fs.open(path)) {
      for (int n = in.read(buffer); n >= 0 && !stop.get(); n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
    }
    return Hashing.hex(sha.digest());
  }

  private static String joinDigest(CompletableFuture<String> digest) throws IOException {
    try {
      return digest.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  /**
   * One pass (with, for a plain file, a second reader beside it for the digest): digest of the file's bytes, every
   * line split by {@link LineIterator} and checked as UTF-8, the first two and the last line kept, and a chunk
   * boundary at the first line start after every {@code defaultChunkBytes} ({@code tsvChunkBytes} when the header is
   * a Eurostat bulk TSV's).
   */
  private static Scan scan(FileSystem fs, Path path, boolean gzip, long defaultChunkBytes, long tsvChunkBytes,
      IngestLimits limits) throws IOException {
    long chunkBytes = defaultChunkBytes;
    // A plain file's digest is computed by a second reader beside the line scan: on a large file each takes seconds
    // on one core (SHA-256 of 1.87 GB about 4.5 s) while Spark has not started any work on the other.
    AtomicBoolean refused = new AtomicBoolean();
    CompletableFuture<String> plainDigest = gzip ? null : CompletableFuture.supplyAsync(() -> {
      try {
        return digest(fs, path, refused);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    MessageDigest sha = Hashing.sha256();
    MessageDigest content = gzip ? Hashing.sha256() : null;
    String header = null;
    String second = null;
    byte[] last = new byte[0];
    int lastLen = 0;
    long blank = 0;
    long firstInvalid = -1;
    long firstNul = -1;
    List<LineChunk> chunks = new ArrayList<>();
    LineIterator lines;
    boolean scanned = false;
    try (InputStream raw = fs.open(path); InputStream digested = gzip ? new DigestInputStream(raw, sha) : raw;
        InflationGuard.Counting compressed = new InflationGuard.Counting(digested);
        InputStream data = gzip ? new DigestInputStream(new InflationGuard(new GZIPInputStream(compressed, 1 << 16),
            compressed, limits), content) : new BufferedInputStream(compressed, 1 << 16)) {
      lines = new LineIterator(data, -1, limits.maxLineBytes());
      long chunkStart = 0;
      long chunkFirstLine = 1;
      while (lines.next()) {
        long n = lines.lineNumber();
        byte[] b = lines.bytes();
        int len = lines.length();
        // One pass finds both: NUL counts as invalid text; any other invalid byte marks the line not UTF-8.
        int bad = Utf8.firstInvalidText(b, 0, len);
        while (bad >= 0) {
          if (b[bad] == 0) {
            firstNul = n;
            break;
          }
          firstInvalid = firstInvalid < 0 ? n : firstInvalid;
          // Past an invalid byte the line is still searched for a NUL, which decides the file's problem.
          bad = Utf8.firstInvalidText(b, bad + 1, len - bad - 1);
        }
        if (n == 1) {
          header = decode(b, len);
          if (isEurostatTsv(header)) {
            chunkBytes = tsvChunkBytes;
          }
        } else if (n == 2) {
          second = decode(b, len);
        }
        if (firstNul > 0) {
          // A binary file is refused: the rest of it need not be read.
          break;
        }
        if (lines.blank()) {
          blank++;
        }
        if (last.length < len) {
          last = new byte[Math.max(len, last.length * 2)];
        }
        System.arraycopy(b, 0, last, 0, len);
        lastLen = len;
        long end = lines.position();
        if (!gzip && end - chunkStart >= chunkBytes) {
          chunks.add(new LineChunk(chunkStart, end - chunkStart, chunkFirstLine));
          chunkStart = end;
          chunkFirstLine = n + 1;
        }
      }
      if (gzip) {
        chunks.add(new LineChunk(0, -1, 1));
      } else if (lines.position() > chunkStart) {
        chunks.add(new LineChunk(chunkStart, lines.position() - chunkStart, chunkFirstLine));
      }
      // The digest covers the file's bytes (compressed ones for .gz): read what decoding left unread.
      if (gzip && firstNul < 0) {
        digested.transferTo(java.io.OutputStream.nullOutputStream());
      }
      scanned = true;
    } finally {
      // A file the scan refused (binary, or a limit breached) is not read to its end for a digest nobody uses.
      if (!scanned || firstNul > 0) {
        refused.set(true);
      }
    }
    String fileSha = gzip ? Hashing.hex(sha.digest()) : joinDigest(plainDigest);
    return new Scan(header, second, decode(last, lastLen), lines.lastTerminated(), lines.lineNumber(), blank,
        firstInvalid, firstNul, fileSha, gzip ? Hashing.hex(content.digest()) : fileSha, chunks);
  }

  /** Header and sample lines only: UTF-8 where valid, else Latin-1 (the only other encoding ingest accepts). */
  private static String decode(byte[] b, int len) {
    return Utf8.firstInvalid(b, 0, len) < 0 ? new String(b, 0, len, StandardCharsets.UTF_8)
        : new String(b, 0, len, StandardCharsets.ISO_8859_1);
  }

  private static boolean isEurostatTsv(String header) {
    return header.contains("\t") && header.split("\t", 2)[0].trim().contains("\\");
  }

  static SourceFormat detect(String header, MicrodataColumns microdata) {
    if (isEurostatTsv(header)) {
      return SourceFormat.EUROSTAT_TSV;
    }
    String upper = header.toUpperCase(Locale.ROOT);
    if ((upper.startsWith("STRUCTURE,") || upper.startsWith("DATAFLOW,")) && upper.contains("OBS_VALUE")) {
      return SourceFormat.SDMX_CSV;
    }
    List<String> cells = CsvHeader.split(header);
    if (cells.contains("Value") && cells.contains("Flag Codes") && (cells.contains("TIME") || cells.contains("YEAR"))) {
      return SourceFormat.OECD_STAT_CSV;
    }
    String normalised = header.replace("\"", "").replace(" ", "").toLowerCase(Locale.ROOT);
    if (normalised.startsWith("city,country,region_code,year_joined")) {
      return SourceFormat.REGISTRY_CSV;
    }
    List<String> columns = java.util.Arrays.asList(header.replace("\"", "").split(","));
    if (columns.contains(microdata.source("respondent_id")) && columns.contains(microdata.source("weight"))) {
      return SourceFormat.MICRODATA_CSV;
    }
    return null;
  }

  /**
   * Dataset code: for SDMX-CSV the dataflow in the first data row (OECD {@code ...@DF_POP_5Y(2.0)}, Eurostat
   * {@code ESTAT:NAMA_10R_2GDP(1.0)}); otherwise from the file name ({@code estat_nama_10r_3gdp.tsv} gives
   * nama_10r_3gdp).
   */
  static String dataset(String location, SourceFormat format, String firstDataLine) {
    String name = location.substring(location.lastIndexOf('/') + 1);
    if (format == SourceFormat.REGISTRY_CSV) {
      return "learning_city_registry";
    }
    if (format == SourceFormat.MICRODATA_CSV) {
      return name.replaceAll("\\.(csv|gz)$", "").replaceAll("\\.csv$", "");
    }
    if (format == SourceFormat.SDMX_CSV) {
      Matcher flow = OECD_FLOW.matcher(firstDataLine);
      if (flow.find()) {
        return flow.group(1);
      }
      Matcher estat = ESTAT_FLOW.matcher(firstDataLine);
      if (estat.find()) {
        return estat.group(1).toLowerCase(Locale.ROOT);
      }
    }
    Matcher m = ESTAT_CODE.matcher(name);
    if (m.find()) {
      String code = m.group(1);
      Matcher oecd = Pattern.compile("(?i)(DF_[A-Z0-9_]+)").matcher(code);
      return oecd.find() ? oecd.group(1).toUpperCase(Locale.ROOT) : code.toLowerCase(Locale.ROOT);
    }
    return name.replaceAll("\\..*$", "");
  }
}
