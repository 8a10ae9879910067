package org.learningregions.ingest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.Retry;

/**
 * What a downloaded Eurostat file must be before it replaces the previous copy: complete gzip whose first line is a
 * Eurostat TSV header. Content errors are not retried: the same bytes would come again.
 */
final class EurostatPayload {
  // A header line longer than this is not a Eurostat header; the cap keeps a wrong file from filling memory.
  private static final int MAX_HEADER_BYTES = 1 << 20;

  private EurostatPayload() {}

  static void verify(String code, String url, Path part, long bytes) throws IOException {
    if (bytes == 0) {
      throw LearningRegionsException.failure("dataset " + code + ": empty response from " + url);
    }
    String header;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(part), 64 * 1024)) {
      header = firstLine(in);
      in.transferTo(OutputStream.nullOutputStream());
    } catch (ZipException e) {
      if ("Not in GZIP format".equals(e.getMessage())) {
        throw LearningRegionsException.failure("dataset " + code + ": response from " + url + " is not gzip (starts "
            + "with '" + snippet(part) + "')");
      }
      throw LearningRegionsException.failure("dataset " + code + ": gzip from " + url + " is corrupt ("
          + Retry.oneLine(e) + ")");
    } catch (EOFException e) {
      throw LearningRegionsException.failure("dataset " + code + ": gzip from " + url + " is truncated (" + bytes
          + " bytes)");
    }
    String firstCell = header == null ? "" : header.split("\t", 2)[0];
    if (!firstCell.contains("\\")) {
      throw LearningRegionsException.failure("dataset " + code + ": response from " + url + " is not a Eurostat TSV "
          + "(first line '" + shorten(header == null ? "" : header)
          + "', expected e.g. 'freq,unit,geo\\TIME_PERIOD')");
    }
  }

  private static String firstLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.size() >= MAX_HEADER_BYTES) {
        break;
      }
      line.write(b);
    }
    if (b < 0 && line.size() == 0) {
      return null;
    }
    String s = line.toString(StandardCharsets.UTF_8);
    if (s.startsWith("\uFEFF")) {
      s = s.substring(1);
    }
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String snippet(Path part) {
    try (InputStream in = Files.newInputStream(part)) {
      return shorten(new String(in.readNBytes(40), StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      return "?";
    }
  }

  private static String shorten(String s) {
    String clean = s.replaceAll("[\\p{Cntrl}]", " ").strip();
    return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
  }
}
