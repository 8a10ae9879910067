package org.learningregions.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
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
 * Decides a file's format from its first line, its dataset code, and its SHA-256, streaming the file once through
 * Hadoop's FileSystem (so s3a/abfss/hdfs inputs work the same as local ones). File-level problems (empty, undecodable,
 * unknown layout) end here with a one-line error naming the file.
 */
public final class FileSniffer {
  private static final Pattern ESTAT_CODE = Pattern.compile("(?i)(?:estat_)?([a-z]{2,6}_[a-z0-9_]+?)(?:_(?:tabular|sdmx))?\\.(?:tsv|csv|txt)(?:\\.gz)?$");
  private static final Pattern OECD_FLOW = Pattern.compile("@([A-Za-z0-9_]+)\\(");
  private static final Pattern ESTAT_FLOW = Pattern.compile("ESTAT:([A-Za-z0-9_]+)\\(");

  private FileSniffer() {}

  public static InputFile sniff(String location, String datasetOverride, MicrodataColumns microdata,
      Configuration hadoop) {
    Path path = new Path(location);
    String header;
    String second;
    String sha;
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
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream raw = fs.open(path); DigestInputStream in = new DigestInputStream(raw, digest)) {
        InputStream data = location.endsWith(".gz") ? new java.util.zip.GZIPInputStream(in) : in;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        BufferedReader reader = new BufferedReader(new InputStreamReader(data, decoder));
        header = reader.readLine();
        second = reader.readLine();
        if (header == null || header.isBlank()) {
          throw LearningRegionsException.failure(location + ": empty file");
        }
        if (second == null || second.isBlank()) {
          throw LearningRegionsException.failure(location + ": no data rows after the header");
        }
        // Finish the digest over the whole file; decoding the rest would only slow this down.
        byte[] buf = new byte[1 << 16];
        while (in.read(buf) >= 0) {
          // reading for the digest
        }
      }
      sha = HexFormat.of().formatHex(digest.digest());
    } catch (CharacterCodingException e) {
      throw LearningRegionsException.failure(location + ": not valid UTF-8 text (" + e.getMessage() + ")");
    } catch (java.util.zip.ZipException e) {
      throw LearningRegionsException.failure(location + ": truncated or corrupt gzip (" + e.getMessage() + ")");
    } catch (java.io.EOFException e) {
      throw LearningRegionsException.failure(location + ": truncated file (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw LearningRegionsException.failure(location + ": cannot read (" + e.getMessage() + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    SourceFormat format = detect(header, microdata);
    if (format == null) {
      throw LearningRegionsException.failure(location + ": unknown header layout: "
          + (header.length() > 80 ? header.substring(0, 80) + "..." : header));
    }
    String dataset = datasetOverride != null ? datasetOverride : dataset(location, format, second);
    return new InputFile(location, format, dataset, sha, bytes, header);
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
