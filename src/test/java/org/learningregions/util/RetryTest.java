package org.learningregions.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The one retry policy: retries what it is told to, passes everything else through, gives up with a count. */
@Tag("fast")
class RetryTest {
  private final Retry retry = new Retry(3, Duration.ofMillis(1), Duration.ofMillis(4), 0.5);

  @Test
  void retriesUntilSuccess() {
    AtomicInteger tries = new AtomicInteger();
    String out = retry.callUnchecked("test", e -> e instanceof ConcurrentModificationException, () -> {
      if (tries.incrementAndGet() < 3) {
        throw new ConcurrentModificationException("lost");
      }
      return "ok";
    });
    assertEquals("ok", out);
    assertEquals(3, tries.get());
  }

  @Test
  void givesUpAfterTheLastTry() {
    AtomicInteger tries = new AtomicInteger();
    Retry.Exhausted e = assertThrows(Retry.Exhausted.class, () -> retry.callUnchecked("test",
        x -> x instanceof ConcurrentModificationException, () -> {
          tries.incrementAndGet();
          throw new ConcurrentModificationException("lost");
        }));
    assertEquals(3, e.tries());
    assertEquals(3, tries.get());
  }

  @Test
  void otherFailuresPassThroughAtOnce() {
    AtomicInteger tries = new AtomicInteger();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> retry.callUnchecked("test",
        x -> x instanceof ConcurrentModificationException, () -> {
          tries.incrementAndGet();
          throw new IllegalStateException("bad data");
        }));
    assertEquals("bad data", e.getMessage());
    assertEquals(1, tries.get());
  }

  @Test
  void aFailureMayAskForItsOwnWait() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    long t0 = System.nanoTime();
    retry.call("test", x -> true, x -> Duration.ofMillis(3), () -> {
      if (tries.incrementAndGet() < 2) {
        throw new java.io.IOException("429");
      }
      return null;
    });
    assertEquals(2, tries.get());
    assertEquals(true, System.nanoTime() - t0 >= 3_000_000L);
  }
}
