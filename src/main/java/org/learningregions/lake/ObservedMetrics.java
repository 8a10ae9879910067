package org.learningregions.lake;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;

/**
 * Reads what an {@link Observation} counted while its data was written. Metrics arrive when the query that wrote
 * the data finishes; a bounded wait keeps a metric that never arrives (a plan that did not run the observed rows)
 * from hanging the run: the caller gets an empty map and says so.
 */
public final class ObservedMetrics {
  private static final Duration WAIT = Duration.apply(60, TimeUnit.SECONDS);

  private ObservedMetrics() {}

  /** The observed values by name, or an empty map when they did not arrive. */
  public static Map<String, Object> of(Observation observation) {
    try {
      Row row = Await.result(observation.future(), WAIT);
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      String[] names = row.schema().fieldNames();
      for (int i = 0; i < names.length; i++) {
        out.put(names[i], row.get(i));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (Exception e) {
      return Map.of();
    }
  }

  /** A counted value as a long, or -1 when absent. */
  public static long count(Map<String, Object> metrics, String name) {
    Object v = metrics.get(name);
    return v instanceof Number n ? n.longValue() : -1;
  }
}
