package org.learningregions.ingest;

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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.Hashing;
import org.learningregions.util.Redaction;
import org.learningregions.util.Retry;

/**
 * One try of one download with the JDK's HTTP client: the body streamed into a part file with its SHA-256, a
 * progress bar, and a deadline for the whole try. Failures worth another try (network errors, timeouts, HTTP 429 and
 * 5xx, a body shorter than announced) are {@link Again}; others (404, other statuses) a one-line
 * {@link LearningRegionsException}.
 */
final class HttpDownload {
  // java.net.http's request timeout stops at the response headers; this closes a body that is still streaming when
  // the whole try runs out of time, which is the only way to unblock a read from a stalled server.
  private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "download-watchdog");
    t.setDaemon(true);
    return t;
  });

  static {
    WATCHDOG.setRemoveOnCancelPolicy(true);
  }

  /** A failed try worth repeating, with the wait the server asked for (seconds, -1: none). */
  static final class Again extends IOException {
    private static final long serialVersionUID = 1L;
    final long retryAfterSeconds;

    Again(String message, long retryAfterSeconds, Throwable cause) {
      super(message, cause);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The wait the server asked for, or null to back off normally. */
    Duration askedWait() {
      return retryAfterSeconds >= 0 ? Duration.ofSeconds(retryAfterSeconds) : null;
    }
  }

  /** What a successful try wrote. */
  record Fetched(int status, long bytes, String sha256) {}

  private final HttpClient client;
  private final Duration requestTimeout;
  private final PrintStream progress;
  private final boolean quiet;

  HttpDownload(Duration connectTimeout, Duration requestTimeout, PrintStream progress, boolean quiet) {
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    this.requestTimeout = requestTimeout;
    this.progress = progress;
    this.quiet = quiet;
  }

  /**
   * The body of {@code uri} (without credentials; {@code authorization} is the header that carries them, or null)
   * into {@code part}. IOExceptions other than {@link Again} are local (the part file).
   */
  Fetched fetch(String code, URI uri, String authorization, Path part) throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .header("User-Agent", "learning-regions");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.GET().build();
    long sent = System.nanoTime();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Again(Retry.oneLine(e), -1, e);
    }
    int status = response.statusCode();
    try (InputStream body = response.body()) {
      if (status == 404) {
        throw LearningRegionsException.failure("dataset " + code + " not found at " + Redaction.url(uri.toString())
            + " (HTTP 404)");
      }
      if (status == 429 || status >= 500) {
        throw new Again("HTTP " + status, retryAfter(response), null);
      }
      if (status != 200) {
        throw LearningRegionsException.failure("dataset " + code + ": HTTP " + status + " from "
            + Redaction.url(uri.toString()));
      }
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      long remainingNanos = requestTimeout.toNanos() - (System.nanoTime() - sent);
      AtomicBoolean timedOut = new AtomicBoolean();
      ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
        timedOut.set(true);
        closeQuietly(body);
      }, Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
      MessageDigest sha = Hashing.sha256();
      long bytes = 0;
      try (DownloadProgress bar = new DownloadProgress(progress, code, length, quiet);
          FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = Channels.newOutputStream(channel)) {
        byte[] buf = new byte[64 * 1024];
        while (true) {
          int n;
          try {
            n = body.read(buf);
          } catch (IOException e) {
            throw new Again(timedOut.get() ? "timed out after " + requestTimeout.toSeconds() + " s"
                : "connection failed after " + bytes + " bytes: " + Retry.oneLine(e), -1, e);
          }
          if (n < 0) {
            break;
          }
          out.write(buf, 0, n);
          sha.update(buf, 0, n);
          bytes += n;
          bar.update(bytes);
        }
        if (timedOut.get()) {
          throw new Again("timed out after " + requestTimeout.toSeconds() + " s", -1, null);
        }
        if (length >= 0 && bytes != length) {
          throw new Again("body ended after " + bytes + " of " + length + " bytes", -1, null);
        }
        // Without this a power cut after the rename could leave an empty or short file under the final name.
        channel.force(true);
      } finally {
        watchdog.cancel(false);
      }
      return new Fetched(status, bytes, Hashing.hex(sha.digest()));
    }
  }

  /** Seconds from a {@code Retry-After} header, or -1 (absent, or an HTTP date, which is not interpreted). */
  private static long retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(String::trim).filter(v -> v.matches("\\d{1,9}"))
        .map(Long::parseLong).orElse(-1L);
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException ignored) {
      // Closing only wakes the reader; the timed-out flag tells it why.
    }
  }
}
