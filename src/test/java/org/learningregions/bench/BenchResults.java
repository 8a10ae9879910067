package org.learningregions.bench;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;

/** Where the bench mains report: one JSON line on stdout, appended to {@code $BENCH_RESULTS} when it is set. */
final class BenchResults {
  private BenchResults() {}

  static void record(String jsonLine) throws IOException {
    System.out.println(jsonLine);
    String results = System.getenv("BENCH_RESULTS");
    if (results != null) {
      try (PrintWriter w = new PrintWriter(new FileWriter(results, true))) {
        w.println(jsonLine);
      }
    }
  }
}
