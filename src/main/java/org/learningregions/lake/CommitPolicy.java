package org.learningregions.lake;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.function.Supplier;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.Retry;

/**
 * What happens when a commit loses Delta's optimistic-concurrency check to another writer (Delta throws a
 * {@link ConcurrentModificationException}: concurrent append, delete, metadata or protocol change, or the same table
 * created twice): the write is recomputed and tried again after a jittered exponential backoff, as Iceberg's
 * commit retries do. Safe because every write here is a function of what it reads at the time it runs. After the
 * last try the run fails with one line naming the table; the table stays at its last committed version.
 */
public final class CommitPolicy {
  /** Tries of one write. */
  public static final int ATTEMPTS = 6;
  static final Retry RETRY = new Retry(ATTEMPTS, Duration.ofMillis(250), Duration.ofSeconds(8), 0.5);

  private CommitPolicy() {}

  /** Runs one write of {@code table}, again while another writer commits first. */
  public static <T> T commit(TableId table, Supplier<T> write) {
    try {
      return RETRY.callUnchecked("commit to " + table, CommitPolicy::isConflict, write::get);
    } catch (Retry.Exhausted e) {
      throw LearningRegionsException.failure(table + ": another writer kept committing to the same table; gave up "
          + "after " + e.tries() + " tries (" + e.getCause().getClass().getSimpleName() + "). The table is intact at "
          + "its last committed version; rerun when the other run has finished.", e.getCause());
    }
  }

  static boolean isConflict(Throwable e) {
    return Retry.causeOf(e, ConcurrentModificationException.class) != null;
  }
}
