package org.learningregions.ingest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.AtomicFiles;
import org.learningregions.util.Redaction;
import org.learningregions.util.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches Eurostat datasets by code from the bulk download service (by default the SDMX 2.1 dissemination API,
 * which returns the gzip'd bulk TSV) into {@code <dir>/estat_<code>.tsv.gz}, the name {@code ingest} recognises.
 *
 * <p>Each download goes to {@code estat_<code>.tsv.gz.part} ({@link HttpDownload}), is checked to be complete gzip
 * whose first line is a Eurostat TSV header ({@link EurostatPayload}), and only then replaces the final file
 * ({@link AtomicFiles}), so a crash or a bad response never leaves a partial file under the final name (and a
 * previous good copy survives a failed download). Network errors, timeouts, HTTP 429 and 5xx are retried by the
 * project's {@link Retry} policy (exponential backoff, honouring {@code Retry-After}); other HTTP errors and bad
 * content fail the dataset at once with a one-line {@link LearningRegionsException}.
 */
public final class EurostatDownloader {
  private static final Logger LOG = LoggerFactory.getLogger(EurostatDownloader.class);

  /** Eurostat's SDMX 2.1 dissemination API: the gzip'd bulk TSV of one dataset. */
  public static final String DEFAULT_URL_TEMPLATE =
      "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/{code}?format=TSV&compressed=true";

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_]+");

  /** One downloaded dataset: where it came from, where it is, and what exactly was written. */
  public record Downloaded(String dataset, String url, Path file, long bytes, String sha256, int httpStatus,
      int attempts, double seconds) {}

  private final DownloadSettings settings;
  private final HttpDownload http;
  private final Retry retry;

  /** {@code progress} receives the one-line progress bar (usually stderr); {@code quiet} turns it off. */
  public EurostatDownloader(DownloadSettings settings, PrintStream progress, boolean quiet) {
    this.settings = settings;
    this.http = new HttpDownload(settings.connectTimeout(), settings.requestTimeout(), progress, quiet);
    this.retry = new Retry(settings.attempts(), Duration.ofMillis(settings.initialBackoffMs()),
        Duration.ofMillis(Math.max(settings.initialBackoffMs(), settings.maxBackoffMs())), 0);
  }

  /** Throws a usage error unless {@code code} can be a Eurostat dataset code (letters, digits, underscore). */
  public static String checkCode(String code) {
    if (code == null || !CODE.matcher(code).matches()) {
      throw LearningRegionsException.usage("not a Eurostat dataset code: '" + code + "' (letters, digits and _ only)");
    }
    return code;
  }

  /** The URL of {@code code} under {@code template}. */
  public static String url(String template, String code) {
    return template.replace("{code}", checkCode(code));
  }

  /** The file name a dataset is saved under, e.g. {@code estat_trng_lfse_04.tsv.gz}. */
  public static String fileName(String code) {
    return "estat_" + checkCode(code).toLowerCase(Locale.ROOT) + ".tsv.gz";
  }

  /**
   * Downloads one dataset into {@code dir} (created if needed), replacing an earlier copy only once the new one has
   * been verified. Throws a one-line {@link LearningRegionsException} when it cannot.
   */
  public Downloaded download(String code, Path dir) {
    String withCredentials = url(settings.urlTemplate(), code);
    // What is shown (messages, logs, the manifest) never holds the credentials; they travel as a Basic
    // Authorization header, not in the request line.
    String url = Redaction.url(withCredentials);
    URI uri;
    String authorization = null;
    try {
      uri = URI.create(withCredentials);
      if (uri.getRawUserInfo() != null) {
        // getUserInfo decodes %xx escapes only (URLDecoder would also turn a '+' of a password into a space).
        String user = uri.getUserInfo();
        authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(
            user.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        uri = URI.create(withCredentials.replaceFirst("//[^/?#@]*@", "//"));
      }
    } catch (IllegalArgumentException e) {
      throw LearningRegionsException.usage("invalid download URL " + url + ": " + Redaction.url(e.getMessage()));
    }
    URI requestUri = uri;
    String auth = authorization;
    Path target = dir.resolve(fileName(code));
    // A fixed name, not a unique temporary one: a part file left by a killed run is overwritten by the next run
    // instead of piling up.
    Path part = dir.resolve(target.getFileName() + ".part");
    long started = System.nanoTime();
    int[] tries = {0};
    try {
      Files.createDirectories(dir);
      HttpDownload.Fetched f = retry.call("dataset " + code + " from " + url, e -> e instanceof HttpDownload.Again,
          e -> ((HttpDownload.Again) e).askedWait(), () -> {
            tries[0]++;
            return http.fetch(code, requestUri, auth, part);
          });
      EurostatPayload.verify(code, url, part, f.bytes());
      AtomicFiles.moveIntoPlace(part, target);
      double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
      return new Downloaded(code, url, target, f.bytes(), f.sha256(), f.status(), tries[0], seconds);
    } catch (Retry.Exhausted e) {
      throw LearningRegionsException.failure("dataset " + code + ": " + Redaction.url(e.getCause().getMessage())
          + " from " + url
          + " after " + e.tries() + (e.tries() == 1 ? " attempt" : " attempts"), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LearningRegionsException.failure("dataset " + code + ": download interrupted");
    } catch (LearningRegionsException e) {
      throw e;
    } catch (IOException e) {
      throw LearningRegionsException.failure("dataset " + code + ": cannot write or read " + part + ": "
          + Redaction.url(Retry.oneLine(e)), e);
    } catch (Exception e) {
      throw LearningRegionsException.failure("dataset " + code + ": " + Redaction.url(Retry.oneLine(e)), e);
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", part, e.getMessage());
      }
    }
  }
}
