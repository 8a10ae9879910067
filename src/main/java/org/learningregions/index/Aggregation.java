package org.learningregions.index;

import java.util.Locale;

/**
 * How normalised indicators (or pillar scores) combine into one score with weights: arithmetic (full compensation:
 * a deficit in one indicator is made up by a surplus in another) or geometric (partial compensation). Missing values
 * are left out and the weights of the others rescaled to sum to one, so a region is scored on what it has; the
 * coverage rule decides beforehand which regions may be scored at all.
 */
public enum Aggregation {
  ARITHMETIC,
  /**
   * Weighted geometric mean, defined for positive values only: the inputs are first rescaled to [1, 100] by min-max
   * over the regions (the COIN tool's practice), whatever the normalisation was.
   */
  GEOMETRIC;

  public static Aggregation parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "arithmetic" -> ARITHMETIC;
      case "geometric" -> GEOMETRIC;
      default -> throw new IllegalArgumentException("unknown aggregation '" + s + "' (arithmetic, geometric)");
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Scores of every row of {@code values} (rows: regions, columns: indicators) with {@code weights} per column.
   *
   * @return one score per row, NaN where every value is missing
   */
  public double[] apply(double[][] values, double[] weights) {
    int rows = values.length;
    int cols = weights.length;
    double[][] v = values;
    if (this == GEOMETRIC) {
      v = Normalisation.MIN_MAX.columns(values);
      for (double[] row : v) {
        for (int j = 0; j < cols; j++) {
          // [0, 100] -> [1, 100]; NaN stays NaN
          row[j] = 1 + row[j] * 0.99;
        }
      }
    }
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      double w = 0;
      double acc = 0;
      for (int j = 0; j < cols; j++) {
        if (!Double.isNaN(v[i][j]) && weights[j] > 0) {
          w += weights[j];
          acc += this == ARITHMETIC ? weights[j] * v[i][j] : weights[j] * Math.log(v[i][j]);
        }
      }
      out[i] = w == 0 ? Double.NaN : this == ARITHMETIC ? acc / w : Math.exp(acc / w);
    }
    return out;
  }
}
