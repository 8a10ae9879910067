package org.learningregions.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent pieces of driver work (each submitting its own Spark jobs and Delta commits to different tables)
 * at the same time, and rethrows the first failure as it was thrown.
 */
public final class Concurrently {
  private Concurrently() {}

  public static void run(List<Runnable> tasks) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, tasks.size()), r -> {
      Thread t = new Thread(r, "learning-regions-stage");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable t : tasks) {
        futures.add(pool.submit(t));
      }
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          RuntimeException re = c instanceof RuntimeException r ? r : new IllegalStateException(c);
          if (first == null) {
            first = re;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
