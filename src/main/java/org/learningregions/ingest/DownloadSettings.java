package org.learningregions.ingest;

import java.time.Duration;
import java.util.Locale;
import org.learningregions.LearningRegionsException;
import org.learningregions.config.AppConfig;

/**
 * Where and how {@code download} fetches ({@code download} in {@code reference.conf}).
 *
 * @param urlTemplate URL with {@code {code}} for the dataset code
 * @param attempts tries per dataset (network errors, timeouts, HTTP 429 and 5xx are retried)
 * @param initialBackoffMs wait after the first failed try, doubled after each further one
 * @param maxBackoffMs longest wait, also the cap on Retry-After
 * @param connectTimeout time allowed to open the connection
 * @param requestTimeout time allowed for one whole try, headers and body
 */
public record DownloadSettings(String urlTemplate, int attempts, long initialBackoffMs, long maxBackoffMs,
    Duration connectTimeout, Duration requestTimeout) {
  public DownloadSettings {
    if (urlTemplate == null || !urlTemplate.contains("{code}")) {
      throw LearningRegionsException.usage("download.url-template must contain {code}: "
          + org.learningregions.util.Redaction.url(urlTemplate));
    }
    String scheme = urlTemplate.toLowerCase(Locale.ROOT);
    if (!scheme.startsWith("http://") && !scheme.startsWith("https://")) {
      throw LearningRegionsException.usage("download.url-template must be an http(s) URL: "
          + org.learningregions.util.Redaction.url(urlTemplate));
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
  public static DownloadSettings from(AppConfig config, String urlTemplate) {
    return new DownloadSettings(urlTemplate != null ? urlTemplate : config.string("download.url-template"),
        config.integer("download.attempts"), config.raw().getLong("download.initial-backoff-ms"),
        config.raw().getLong("download.max-backoff-ms"),
        Duration.ofSeconds(config.raw().getLong("download.connect-timeout-s")),
        Duration.ofSeconds(config.raw().getLong("download.request-timeout-s")));
  }
}
