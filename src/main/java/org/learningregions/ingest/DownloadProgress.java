package org.learningregions.ingest;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one-line progress bar of a download (the progressbar library: percentage, size in MB, speed, time left),
 * redrawn in place on {@code out}, or nothing when quiet. A fixed width keeps the library from asking a terminal
 * that a scheduler's log does not have.
 */
final class DownloadProgress implements AutoCloseable {
  private static final int WIDTH = 100;
  private final ProgressBar bar;

  DownloadProgress(PrintStream out, String label, long totalBytes, boolean quiet) {
    this.bar = quiet || out == null ? null : new ProgressBarBuilder()
        .setTaskName(label)
        .setInitialMax(totalBytes > 0 ? totalBytes : -1)
        .setUnit(" MB", 1L << 20)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200)
        .showSpeed()
        .setConsumer(new ConsoleProgressBarConsumer(out, WIDTH))
        .build();
  }

  void update(long bytes) {
    if (bar != null) {
      bar.stepTo(bytes);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
