package org.learningregions.ingest;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.learningregions.LearningRegionsException;

/**
 * Decides a file's format from its content, its encoding, its dataset code, and its SHA-256, streaming the file
 * through Hadoop's FileSystem (so s3a/abfss/hdfs inputs work the same as local ones). The whole file is decoded once
 * here, so an encoding error anywhere, a truncated gzip stream or a cut-off last line stops the file before anything
 * of it is written. File-level problems end here with a one-line error naming the file.
 *
 * <p>Text must be UTF-8 (with or without BOM), except OECD.Stat CSV exports, which were Latin-1: a file that is not
 * valid UTF-8 and whose header reads as an OECD.Stat export in Latin-1 is read as Latin-1. Parquet is recognised by
 * its magic number.
 */
public final class FileSniffer {
  private static final Pattern ESTAT_CODE = Pattern.compile("(?i)(?:estat_)?([a-z]{2,6}_[a-z0-9_]+?)(?:_(?:tabular|sdmx))?\\.(?:tsv|csv|txt)(?:\\.gz)?$");
  private static final Pattern OECD_FLOW = Pattern.compile("@([A-Za-z0-9_]+)\\(");
  private static final Pattern ESTAT_FLOW = Pattern.compile("ESTAT:([A-Za-z0-9_]+)\\(");

  private FileSniffer() {}

  /** What one decoding pass saw. */
  private record Scan(String header, String second, String last, boolean endsWithNewline, String sha256) {}

  public static InputFile sniff(String location, String datasetOverride, MicrodataColumns microdata,
      Configuration hadoop) {
    Path path = new Path(location);
    long bytes;
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path)) {
        throw LearningRegionsException.failure(location + ": file not found");
      }
      bytes = fs.getFileStatus(path).getLen();
      if (bytes == 0) {
        throw LearningRegionsException.failure(location + ": empty file");
      }
      if (isParquet(fs, path)) {
        String dataset = datasetOverride != null ? datasetOverride
            : path.getName().replaceAll("\\.parquet$", "");
        return new InputFile(location, SourceFormat.MICRODATA_PARQUET, dataset, scan(fs, path, location,
            null).sha256(), bytes, "", "binary");
      }
      Charset charset = StandardCharsets.UTF_8;
      Scan scan;
      try {
        scan = scan(fs, path, location, StandardCharsets.UTF_8);
      } catch (CharacterCodingException e) {
        Scan latin1 = scan(fs, path, location, StandardCharsets.ISO_8859_1);
        if (latin1.header() == null || detect(latin1.header(), microdata) != SourceFormat.OECD_STAT_CSV) {
          throw LearningRegionsException.failure(location + ": not valid UTF-8 text (" + e.getMessage() + ")");
        }
        charset = StandardCharsets.ISO_8859_1;
        scan = latin1;
      }
      return describe(location, datasetOverride, microdata, bytes, charset, scan);
    } catch (CharacterCodingException e) {
      throw LearningRegionsException.failure(location + ": not valid text (" + e.getMessage() + ")");
    } catch (java.util.zip.ZipException e) {
      throw LearningRegionsException.failure(location + ": truncated or corrupt gzip (" + e.getMessage() + ")");
    } catch (java.io.EOFException e) {
      throw LearningRegionsException.failure(location + ": truncated file (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw LearningRegionsException.failure(location + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static InputFile describe(String location, String datasetOverride, MicrodataColumns microdata, long bytes,
      Charset charset, Scan scan) {
    String header = scan.header();
    if (header == null || header.isBlank()) {
      throw LearningRegionsException.failure(location + ": empty file");
    }
    if (header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    if (scan.second() == null || scan.second().isBlank()) {
      throw LearningRegionsException.failure(location + ": no data rows after the header");
    }
    SourceFormat format = detect(header, microdata);
    if (format == null) {
      throw LearningRegionsException.failure(location + ": unknown header layout: "
          + (header.length() > 80 ? header.substring(0, 80) + "..." : header));
    }
    // A file cut off mid-write ends without a newline in the middle of a record: its last line has fewer fields.
    if (!scan.endsWithNewline() && fields(scan.last(), format) != fields(header, format)) {
      throw LearningRegionsException.failure(location + ": truncated file (last line " + fields(scan.last(), format)
          + " fields, header " + fields(header, format) + ", no final newline)");
    }
    String dataset = datasetOverride != null ? datasetOverride : dataset(location, format, scan.second());
    return new InputFile(location, format, dataset, scan.sha256(), bytes, header, charset.name());
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

  /** Digests the file's bytes and, unless {@code charset} is null, decodes all of it strictly. */
  private static Scan scan(FileSystem fs, Path path, String location, Charset charset) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String header = null;
    String second = null;
    String last = null;
    LastByte data;
    try (InputStream raw = fs.open(path); DigestInputStream in = new DigestInputStream(raw, digest)) {
      data = new LastByte(location.endsWith(".gz") ? new java.util.zip.GZIPInputStream(in, 1 << 16) : in);
      if (charset == null) {
        data.transferTo(OutputSink.INSTANCE);
      } else {
        var decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        BufferedReader reader = new BufferedReader(new InputStreamReader(data, decoder), 1 << 16);
        String line;
        long n = 0;
        while ((line = reader.readLine()) != null) {
          n++;
          if (n == 1) {
            header = line;
          } else if (n == 2) {
            second = line;
          }
          last = line;
        }
      }
      // The digest covers the file's bytes (compressed ones for .gz): read what decoding left unread.
      in.transferTo(OutputSink.INSTANCE);
    }
    return new Scan(header, second, last, data.last == '\n' || data.last == '\r',
        HexFormat.of().formatHex(digest.digest()));
  }

  /** Remembers the last byte that went through, to tell a file ending in a newline from a cut-off one. */
  private static final class LastByte extends FilterInputStream {
    int last = -1;

    LastByte(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        last = b;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        last = b[off + n - 1] & 0xff;
      }
      return n;
    }
  }

  /** Discards bytes. */
  private static final class OutputSink extends java.io.OutputStream {
    static final OutputSink INSTANCE = new OutputSink();

    @Override
    public void write(int b) {
      // discard
    }

    @Override
    public void write(byte[] b, int off, int len) {
      // discard
    }
  }

  static SourceFormat detect(String header, MicrodataColumns microdata) {
    String first = header.split("\t", 2)[0].trim();
    if (header.contains("\t") && first.contains("\\")) {
      return SourceFormat.EUROSTAT_TSV;
    }
    String upper = header.toUpperCase(Locale.ROOT);
    if ((upper.startsWith("STRUCTURE,") || upper.startsWith("DATAFLOW,")) && upper.contains("OBS_VALUE")) {
      return SourceFormat.SDMX_CSV;
    }
    java.util.List<String> cells = CsvHeader.split(header);
    if (cells.contains("Value") && cells.contains("Flag Codes") && (cells.contains("TIME") || cells.contains("YEAR"))) {
      return SourceFormat.OECD_STAT_CSV;
    }
    String normalised = header.replace("\"", "").replace(" ", "").toLowerCase(Locale.ROOT);
    if (normalised.startsWith("city,country,region_code,year_joined")) {
      return SourceFormat.REGISTRY_CSV;
    }
    java.util.List<String> columns = java.util.Arrays.asList(header.replace("\"", "").split(","));
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
      return name.replaceAll("\\.(csv|gz)$", "");
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
