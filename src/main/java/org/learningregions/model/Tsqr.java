package org.learningregions.model;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Tall-skinny QR in Spark: every partition reduces its rows, block by block, to a p x p triangular factor with
 * Householder QR; the driver stacks the (few) partition factors and reduces them once more. The R of {@code [X y]}
 * gives coefficients, residual sum of squares and {@code (X'X)^-1} without ever forming {@code X'X}, so precision
 * follows the condition of X, not its square (NIST Longley passes to 10+ digits). Driver memory is
 * partitions x p x p, independent of the number of rows.
 */
final class Tsqr {
  private static final int BLOCK = 2048;

  private Tsqr() {}

  /** R (p x p, upper triangular) of the matrix whose rows are the p double columns of {@code rows}. */
  static double[][] r(Dataset<Row> rows, int p) {
    List<double[][]> parts = rows.javaRDD().mapPartitions(it -> partition(it, p)).collect();
    double[][] acc = new double[0][p];
    for (double[][] part : parts) {
      acc = reduce(acc, part, part.length, p);
    }
    return square(acc, p);
  }

  private static Iterator<double[][]> partition(Iterator<Row> it, int p) {
    double[][] acc = new double[0][p];
    double[][] block = new double[BLOCK][];
    int n = 0;
    boolean any = false;
    while (it.hasNext()) {
      Row row = it.next();
      double[] x = new double[p];
      for (int j = 0; j < p; j++) {
        x[j] = row.getDouble(j);
      }
      block[n++] = x;
      any = true;
      if (n == BLOCK) {
        acc = reduce(acc, block, n, p);
        n = 0;
      }
    }
    if (n > 0) {
      acc = reduce(acc, block, n, p);
    }
    return any ? Collections.singletonList(acc).iterator() : Collections.emptyIterator();
  }

  /** The R factor of {@code [acc; block[0..n)]}, as at most p rows. */
  static double[][] reduce(double[][] acc, double[][] block, int n, int p) {
    int m = acc.length + n;
    double[][] stacked = new double[m][];
    System.arraycopy(acc, 0, stacked, 0, acc.length);
    System.arraycopy(block, 0, stacked, acc.length, n);
    if (m == 0) {
      return acc;
    }
    double[][] r = new QRDecomposition(new Array2DRowRealMatrix(stacked, false)).getR().getData();
    int keep = Math.min(m, p);
    double[][] out = new double[keep][];
    for (int i = 0; i < keep; i++) {
      out[i] = r[i].clone();
    }
    return out;
  }

  /** Pads a factor with fewer than p rows (fewer observations than columns) with zero rows. */
  static double[][] square(double[][] r, int p) {
    double[][] out = new double[p][p];
    for (int i = 0; i < Math.min(p, r.length); i++) {
      System.arraycopy(r[i], 0, out[i], 0, p);
    }
    return out;
  }

  /** R of selected columns of the matrix whose R is given: the QR of R's columns (Q'X keeps norms). */
  static double[][] select(double[][] r, int[] columns) {
    int p = r.length;
    double[][] sub = new double[p][columns.length];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < columns.length; j++) {
        sub[i][j] = r[i][columns[j]];
      }
    }
    double[][] q = new QRDecomposition(new Array2DRowRealMatrix(sub, false)).getR().getData();
    return square(q, columns.length);
  }
}
