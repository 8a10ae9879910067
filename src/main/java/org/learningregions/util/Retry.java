package org.learningregions.util;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.failsafe.function.CheckedSupplier;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry policy of the project: exponential backoff with jitter (Failsafe), for Delta commits that lose to
 * another writer and for downloads that hit a network error. Callers say which failures are worth another try;
 * everything else passes through at once, unchanged.
 *
 * @param attempts tries in all (at least 1)
 * @param firstDelay wait after the first failed try; doubled after each further one
 * @param maxDelay longest wait
 * @param jitter random share of each wait (0..1) added or removed, so that writers that collided do not collide again
 *     (not applied when the failure names its own wait)
 */
public record Retry(int attempts, Duration firstDelay, Duration maxDelay, double jitter) {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  public Retry {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
    }
    if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException("delays must satisfy 0 <= first <= max: " + firstDelay + ", " + maxDelay);
    }
  }

  /** What the caller learns when every try failed: the last failure and how many tries were made. */
  public static final class Exhausted extends RuntimeException {
    private final int tries;

    Exhausted(Throwable last, int tries) {
      super(last);
      this.tries = tries;
    }

    public int tries() {
      return tries;
    }
  }

  /**
   * Runs {@code body}, again after a wait while it fails with a retryable failure.
   *
   * @param what a few words for the log ("commit to silver.learning_participation")
   * @param retryable which failures (the thrown exception itself) deserve another try
   * @param delayOverride a wait the failure itself asks for (e.g. HTTP Retry-After), or null to back off normally
   * @throws Exhausted when retryable failures used up every try
   */
  public <T> T call(String what, Predicate<Throwable> retryable, Function<Throwable, Duration> delayOverride,
      CheckedSupplier<T> body) throws Exception {
    RetryPolicyBuilder<T> builder = RetryPolicy.<T>builder()
        .handleIf((T result, Throwable failure) -> failure != null && retryable.test(failure))
        .withMaxAttempts(attempts)
        .onRetry(e -> LOG.warn("{}: {} (try {} of {} failed); trying again", Redaction.url(what),
            Redaction.url(oneLine(e.getLastException())), e.getAttemptCount(), attempts));
    if (firstDelay.isZero()) {
      builder.withDelay(Duration.ZERO);
    } else if (firstDelay.equals(maxDelay)) {
      builder.withDelay(firstDelay);
    } else {
      builder.withBackoff(firstDelay, maxDelay);
    }
    // Jitter spreads writers that collided; a wait the failure asks for (Retry-After) is kept as asked.
    if (jitter > 0 && !firstDelay.isZero() && delayOverride == null) {
      builder.withJitter(jitter);
    }
    if (delayOverride != null) {
      builder.withDelayFnOn(ctx -> {
        Duration d = delayOverride.apply(ctx.getLastException());
        return d == null ? Duration.ofMillis(-1) : d.compareTo(maxDelay) > 0 ? maxDelay : d;
      }, Throwable.class);
    }
    RetryPolicy<T> policy = builder.build();
    int[] tries = {0};
    try {
      return Failsafe.with(policy).get(ctx -> {
        tries[0] = ctx.getAttemptCount() + 1;
        return body.get();
      });
    } catch (FailsafeException e) {
      // Failsafe wraps checked exceptions; unwrap so callers see what the body threw.
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (retryable.test(cause) && tries[0] >= attempts) {
        throw new Exhausted(cause, tries[0]);
      }
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (RuntimeException e) {
      if (retryable.test(e) && tries[0] >= attempts) {
        throw new Exhausted(e, tries[0]);
      }
      throw e;
    }
  }

  /** As {@link #call} for bodies that throw only unchecked exceptions. */
  public <T> T callUnchecked(String what, Predicate<Throwable> retryable, CheckedSupplier<T> body) {
    try {
      return call(what, retryable, null, body);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first line of a failure's message, or its class name. */
  public static String oneLine(Throwable e) {
    if (e == null) {
      return "";
    }
    String msg = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    int nl = msg.indexOf('\n');
    return nl < 0 ? msg : msg.substring(0, nl);
  }

  /** The first cause of {@code e} (itself included) that is an instance of {@code type}, or null. */
  public static <E extends Throwable> E causeOf(Throwable e, Class<E> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
