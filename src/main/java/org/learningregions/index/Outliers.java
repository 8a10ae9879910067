package org.learningregions.index;

import java.util.Arrays;

/**
 * Outlier treatment as the JRC's audits do it (COIN; Becker et al. in COINr): an indicator whose distribution has
 * |skewness| above a threshold (2) and kurtosis above another (3.5) is winsorised one value at a time — the most
 * extreme value on the side of the skew is set to the next one — until both are within the thresholds or a most
 * number of values (5) has been changed. A few very high values would otherwise stretch min-max scores so that
 * every other region is squeezed into a corner of the scale.
 *
 * <p>Skewness and kurtosis are the moment estimators g1 = m3 / m2^1.5 and g2 = m4 / m2² − 3 (excess kurtosis) over
 * the values present (NaN is missing).
 */
public final class Outliers {
  private Outliers() {}

  /**
   * What the treatment did to one indicator.
   *
   * @param values the indicator after treatment (NaN where missing)
   * @param changed how many values were winsorised (0: left as it was)
   * @param skewBefore skewness before, kurtosisBefore kurtosis before; skewAfter, kurtosisAfter after
   */
  public record Treated(double[] values, int changed, double skewBefore, double kurtosisBefore, double skewAfter,
      double kurtosisAfter) {
    /** Whether the indicator still breaks the thresholds after the most values allowed were changed. */
    public boolean stillOutlying(double maxSkewness, double maxKurtosis) {
      return Math.abs(skewAfter) > maxSkewness && kurtosisAfter > maxKurtosis;
    }
  }

  public static Treated winsorise(double[] column, double maxSkewness, double maxKurtosis, int maxPoints) {
    double[] v = column.clone();
    double[] moments = moments(v);
    double skew0 = moments[0];
    double kurt0 = moments[1];
    int changed = 0;
    while (Math.abs(moments[0]) > maxSkewness && moments[1] > maxKurtosis && changed < maxPoints) {
      if (!winsoriseOne(v, moments[0] > 0)) {
        break;
      }
      changed++;
      moments = moments(v);
    }
    return new Treated(v, changed, skew0, kurt0, moments[0], moments[1]);
  }

  /** Sets the largest (high) or smallest value to the next one; false when all values are equal. */
  private static boolean winsoriseOne(double[] v, boolean high) {
    double[] present = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (present.length < 2) {
      return false;
    }
    double extreme = high ? present[present.length - 1] : present[0];
    double next = extreme;
    // The next distinct value: ties at the extreme move together, as one point of the distribution.
    for (int i = 1; i < present.length && next == extreme; i++) {
      next = high ? present[present.length - 1 - i] : present[i];
    }
    if (next == extreme) {
      return false;
    }
    for (int i = 0; i < v.length; i++) {
      if (v[i] == extreme) {
        v[i] = next;
      }
    }
    return true;
  }

  /** {skewness g1, excess kurtosis g2} of the values present; {0, 0} for fewer than 3 or no spread. */
  static double[] moments(double[] v) {
    double sum = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        sum += x;
        n++;
      }
    }
    if (n < 3) {
      return new double[] {0, 0};
    }
    double mean = sum / n;
    double m2 = 0;
    double m3 = 0;
    double m4 = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        double d = x - mean;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
      }
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    if (m2 == 0) {
      return new double[] {0, 0};
    }
    return new double[] {m3 / Math.pow(m2, 1.5), m4 / (m2 * m2) - 3};
  }
}
