package org.learningregions.model;

/**
 * What a spec asks of inference beyond its {@link SeType}: a second cluster dimension (two-way clustering), the
 * time column and lag of Driscoll-Kraay standard errors, and a wild cluster bootstrap of every coefficient.
 *
 * @param cluster2 second cluster column (two-way clustering with {@link ModelSpec#cluster()}), or null
 * @param time time column of Driscoll-Kraay SE (integer, e.g. {@code year}); null means {@code year}
 * @param lag Bartlett lag of Driscoll-Kraay SE; null means {@code floor(4 (T/100)^(2/9))} (Stata xtscc)
 * @param bootstrap wild cluster restricted bootstrap over {@link ModelSpec#cluster()}, or null
 */
public record InferenceSpec(String cluster2, String time, Integer lag, BootstrapSpec bootstrap) {
  public static final InferenceSpec NONE = new InferenceSpec(null, null, null, null);

  /** The time column Driscoll-Kraay SE sum scores over. */
  public String timeColumn() {
    return time == null ? "year" : time;
  }

  /** What identifies it in a run id. */
  String describe() {
    return String.valueOf(cluster2) + "|" + time + "|" + lag + "|"
        + (bootstrap == null ? "none" : bootstrap.describe());
  }
}
