package org.learningregions.ingest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.learningregions.LearningRegionsException;
import org.learningregions.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches Eurostat datasets by code from the bulk download service (by default the SDMX 2.1 dissemination API,
 * which returns the gzip'd bulk TSV) into {@code <dir>/estat_<code>.tsv.gz}, the name {@code ingest} recognises.
 *
 * <p>Each download goes to {@code estat_<code>.tsv.gz.part}, is checked to be complete gzip whose first line is a
 * Eurostat TSV header, and only then replaces the final file, so a crash or a bad response never leaves a partial
 * file under the final name (and a previous good copy survives a failed download). Network errors, timeouts, HTTP
 * 429 and 5xx are retried with exponential backoff (honouring {@code Retry-After}); other HTTP errors and bad
 * content fail the dataset at once with a one-line {@link LearningRegionsException}.
 */
public final class EurostatDownloader {
  private static final Logger LOG = LoggerFactory.getLogger(EurostatDownloader.class);

  /** Eurostat's SDMX 2.1 dissemination API: the gzip'd bulk TSV of one dataset. */
  public static final String DEFAULT_URL_TEMPLATE =
      "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/{code}?format=TSV&compressed=true";

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_]+");
  private static final long PROGRESS_EVERY_NANOS = 200_000_000L;
  // A header line longer than this is not a Eurostat header; the cap keeps a wrong file from filling memory.
  private static final int MAX_HEADER_BYTES = 1 << 20;

  // java.net.http's request timeout stops at the response headers; this closes a body that is still streaming when
  // the whole attempt runs out of time, which is the only way to unblock a read from a stalled server.
  private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "eurostat-download-watchdog");
    t.setDaemon(true);
    return t;
  });

  static {
    WATCHDOG.setRemoveOnCancelPolicy(true);
  }

  /** Where and how to download; see {@code download} in {@code reference.conf}. */
  public record Settings(String urlTemplate, int attempts, long initialBackoffMs, long maxBackoffMs,
      Duration connectTimeout, Duration requestTimeout) {
    public Settings {
      if (urlTemplate == null || !urlTemplate.contains("{code}")) {
        throw LearningRegionsException.usage("download.url-template must contain {code}: " + urlTemplate);
      }
      String scheme = urlTemplate.toLowerCase(Locale.ROOT);
      if (!scheme.startsWith("http://") && !scheme.startsWith("https://")) {
        throw LearningRegionsException.usage("download.url-template must be an http(s) URL: " + urlTemplate);
      }
      if (attempts < 1) {
        throw LearningRegionsException.usage("download.attempts must be at least 1, not " + attempts);
      }
      if (initialBackoffMs < 0 || maxBackoffMs < 0) {
        throw LearningRegionsException.usage("download backoff must not be negative");
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
          || requestTimeout.isZero()) {
        throw LearningRegionsException.usage("download timeouts must be positive");
      }
    }

    /** The {@code download} section of the configuration, with {@code urlTemplate} replacing it when not null. */
    public static Settings from(AppConfig config, String urlTemplate) {
      return new Settings(urlTemplate != null ? urlTemplate : config.string("download.url-template"),
          config.integer("download.attempts"), config.raw().getLong("download.initial-backoff-ms"),
          config.raw().getLong("download.max-backoff-ms"),
          Duration.ofSeconds(config.raw().getLong("download.connect-timeout-s")),
          Duration.ofSeconds(config.raw().getLong("download.request-timeout-s")));
    }
  }

  /** One downloaded dataset: where it came from, where it is, and what exactly was written. */
  public record Downloaded(String dataset, String url, Path file, long bytes, String sha256, int httpStatus,
      int attempts, double seconds) {}

  private final Settings settings;
  private final PrintStream progress;
  private final boolean quiet;
  private final HttpClient client;

  /** {@code progress} receives the one-line progress bar (usually stderr); {@code quiet} turns it off. */
  public EurostatDownloader(Settings settings, PrintStream progress, boolean quiet) {
    this.settings = settings;
    this.progress = progress;
    this.quiet = quiet || progress == null;
    this.client = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
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
    String url = url(settings.urlTemplate(), code);
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw LearningRegionsException.usage("invalid download URL " + url + ": " + e.getMessage());
    }
    Path target = dir.resolve(fileName(code));
    // A fixed name, not a unique temporary one: a part file left by a killed run is overwritten by the next run
    // instead of piling up.
    Path part = dir.resolve(target.getFileName() + ".part");
    long started = System.nanoTime();
    try {
      Files.createDirectories(dir);
      for (int attempt = 1; ; attempt++) {
        try {
          Fetched f = fetch(code, uri, part);
          verify(code, url, part, f.bytes());
          moveIntoPlace(part, target);
          double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
          return new Downloaded(code, url, target, f.bytes(), f.sha256(), f.status(), attempt, seconds);
        } catch (Retryable e) {
          if (attempt >= settings.attempts()) {
            throw LearningRegionsException.failure("dataset " + code + ": " + e.getMessage() + " from " + url
                + " after " + attempt + (attempt == 1 ? " attempt" : " attempts"), e.getCause());
          }
          long wait = backoff(attempt, e.retryAfterSeconds);
          LOG.warn("dataset {}: {} from {} (attempt {} of {}); retrying in {} ms", code, e.getMessage(), url, attempt,
              settings.attempts(), wait);
          Thread.sleep(wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LearningRegionsException.failure("dataset " + code + ": download interrupted");
    } catch (IOException e) {
      throw LearningRegionsException.failure("dataset " + code + ": cannot write or read " + part + ": " + oneLine(e),
          e);
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", part, e.getMessage());
      }
    }
  }

  /** Milliseconds to wait after failed attempt {@code attempt} (1-based). */
  long backoff(int attempt, long retryAfterSeconds) {
    long max = settings.maxBackoffMs();
    if (retryAfterSeconds >= 0) {
      return Math.min(max, retryAfterSeconds * 1000);
    }
    long wait = settings.initialBackoffMs();
    for (int i = 1; i < attempt && wait < max; i++) {
      wait *= 2;
    }
    return Math.min(max, wait);
  }

  private record Fetched(int status, long bytes, String sha256) {}

  /** One attempt: the body into {@code part}. IOExceptions it throws are local (the part file), not the network. */
  private Fetched fetch(String code, URI uri, Path part) throws Retryable, IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(settings.requestTimeout())
        .header("User-Agent", "learning-regions")
        .GET()
        .build();
    long sent = System.nanoTime();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Retryable(oneLine(e), -1, e);
    }
    int status = response.statusCode();
    try (InputStream body = response.body()) {
      if (status == 404) {
        throw LearningRegionsException.failure("dataset " + code + " not found at " + uri + " (HTTP 404)");
      }
      if (status == 429 || status >= 500) {
        throw new Retryable("HTTP " + status, retryAfter(response), null);
      }
      if (status != 200) {
        throw LearningRegionsException.failure("dataset " + code + ": HTTP " + status + " from " + uri);
      }
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      long remainingNanos = settings.requestTimeout().toNanos() - (System.nanoTime() - sent);
      AtomicBoolean timedOut = new AtomicBoolean();
      ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
        timedOut.set(true);
        wakeReader(body);
      }, Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
      MessageDigest sha = sha256();
      long bytes = 0;
      Progress bar = quiet ? null : new Progress(progress, code, length);
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = Channels.newOutputStream(channel)) {
        byte[] buf = new byte[64 * 1024];
        while (true) {
          int n;
          try {
            n = body.read(buf);
          } catch (IOException e) {
            throw new Retryable(timedOut.get() ? "timed out after " + settings.requestTimeout().toSeconds() + " s"
                : "connection failed after " + bytes + " bytes: " + oneLine(e), -1, e);
          }
          if (n < 0) {
            break;
          }
          out.write(buf, 0, n);
          sha.update(buf, 0, n);
          bytes += n;
          if (bar != null) {
            bar.update(bytes);
          }
        }
        if (timedOut.get()) {
          throw new Retryable("timed out after " + settings.requestTimeout().toSeconds() + " s", -1, null);
        }
        if (length >= 0 && bytes != length) {
          throw new Retryable("body ended after " + bytes + " of " + length + " bytes", -1, null);
        }
        // Without this a power cut after the rename could leave an empty or short file under the final name.
        channel.force(true);
      } finally {
        watchdog.cancel(false);
        if (bar != null) {
          bar.finish(bytes);
        }
      }
      return new Fetched(status, bytes, HexFormat.of().formatHex(sha.digest()));
    }
  }

  /** Decompresses the whole file and checks its first line; content errors are not retried (same bytes again). */
  private static void verify(String code, String url, Path part, long bytes) throws IOException {
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
      throw LearningRegionsException.failure("dataset " + code + ": gzip from " + url + " is corrupt (" + oneLine(e)
          + ")");
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

  private static void wakeReader(InputStream body) {
    try {
      body.close();
    } catch (IOException ignored) {
      // Closing is only to wake the reader; the timed-out flag tells it why.
    }
  }

  private static void moveIntoPlace(Path part, Path target) throws IOException {
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Seconds from a {@code Retry-After} header, or -1 (absent, or an HTTP date, which we do not interpret). */
  private static long retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(String::trim).filter(v -> v.matches("\\d{1,9}"))
        .map(Long::parseLong).orElse(-1L);
  }

  private static String snippet(Path part) {
    try (InputStream in = Files.newInputStream(part)) {
      byte[] head = in.readNBytes(40);
      return shorten(new String(head, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      return "?";
    }
  }

  private static String shorten(String s) {
    String clean = s.replaceAll("[\\p{Cntrl}]", " ").strip();
    return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
  }

  private static String oneLine(Throwable e) {
    String msg = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    int nl = msg.indexOf('\n');
    return nl < 0 ? msg : msg.substring(0, nl);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** A failed attempt worth repeating. */
  private static final class Retryable extends Exception {
    final long retryAfterSeconds;

    Retryable(String message, long retryAfterSeconds, Throwable cause) {
      super(message, cause);
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  /** The one-line progress bar: redrawn in place with \r, at most every 200 ms and once at the end. */
  private static final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final long total;
    private long lastNanos;
    private long lastBytes = -1;
    private boolean drawn;

    Progress(PrintStream out, String label, long total) {
      this.out = out;
      this.label = label;
      this.total = total;
    }

    void update(long bytes) {
      long now = System.nanoTime();
      if ((drawn && now - lastNanos < PROGRESS_EVERY_NANOS) && bytes != total) {
        return;
      }
      draw(bytes);
      lastNanos = now;
    }

    void finish(long bytes) {
      if (bytes != lastBytes) {
        draw(bytes);
      }
      out.println();
      out.flush();
    }

    private void draw(long bytes) {
      String line;
      if (total > 0) {
        int pct = (int) Math.min(100, bytes * 100 / total);
        int filled = (int) Math.min(WIDTH, bytes * WIDTH / total);
        line = String.format(Locale.ROOT, "%s [%s%s] %3d%% %s / %s", label, "#".repeat(filled),
            ".".repeat(WIDTH - filled), pct, size(bytes), size(total));
      } else {
        line = label + " " + size(bytes);
      }
      // Trailing spaces wipe what a longer previous line left behind.
      out.print("\r" + line + "   ");
      out.flush();
      drawn = true;
      lastBytes = bytes;
    }

    private static String size(long bytes) {
      if (bytes < 1024) {
        return bytes + " B";
      }
      if (bytes < 1024 * 1024) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
      }
      return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
  }
}
