package org.learningregions.model;

import java.util.Locale;

/**
 * One coefficient's wild cluster restricted bootstrap ({@link WildBootstrap#test}): p(r) for any null value r from five
 * numbers per draw (the numerator n0 + r n1 and the sum of squared cluster scores d0 + 2 r d1 + r^2 d2), and the
 * 95% interval by inverting the test.
 */
final class WcrPValue {
  final double estimate;
  final double se;
  private final double[] n0;
  private final double[] n1;
  private final double[] d0;
  private final double[] d1;
  private final double[] d2;
  private final double factor;

  WcrPValue(double estimate, double se, double factor, double[] n0, double[] n1, double[] d0, double[] d1,
      double[] d2) {
    this.estimate = estimate;
    this.se = se;
    this.factor = factor;
    this.n0 = n0;
    this.n1 = n1;
    this.d0 = d0;
    this.d1 = d1;
    this.d2 = d2;
  }

  /** Share of draws whose |t*| under H0: beta_j = r is at least the sample's |t|. */
  double pValue(double r) {
    double t = (estimate - r) / se;
    double tt = t * t * (1 - WildBootstrap.TIE) * (1 - WildBootstrap.TIE);
    int hits = 0;
    for (int d = 0; d < n0.length; d++) {
      double num = n0[d] + r * n1[d];
      double den = factor * (d0[d] + 2 * r * d1[d] + r * r * d2[d]);
      // t*^2 = num^2 / den >= t^2, without dividing (a draw whose scores all vanish has den 0).
      if (num * num >= tt * den && (den > 0 || num != 0 || tt == 0)) {
        hits++;
      }
    }
    return (double) hits / n0.length;
  }

  /** The set of r not rejected at {@code level}: its ends by bisection on p(r) from the estimate outwards. */
  double[] interval(double level) {
    return new double[] {end(-1, level), end(1, level)};
  }

  private double end(int side, double level) {
    double inside = estimate;
    double step = Math.max(se, 1e-12 * Math.max(1, Math.abs(estimate)));
    double outside = estimate + side * step;
    int expansions = 0;
    while (pValue(outside) >= level) {
      inside = outside;
      step *= 2;
      outside = estimate + side * step;
      if (++expansions > 60) {
        return side * Double.POSITIVE_INFINITY;
      }
    }
    for (int i = 0; i < 100 && Math.abs(outside - inside) > 1e-9 * se; i++) {
      double mid = (inside + outside) / 2;
      if (pValue(mid) >= level) {
        inside = mid;
      } else {
        outside = mid;
      }
    }
    return (inside + outside) / 2;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "estimate %g, se %g, %d draws", estimate, se, n0.length);
  }
}
