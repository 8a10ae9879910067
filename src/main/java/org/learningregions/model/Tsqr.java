package org.learningregions.model;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Tall-skinny QR in Spark: every partition reduces its rows, block by block, to a p x p triangular factor with
 * Householder reflections; the driver stacks the (few) partition factors and reduces them once more. The R of
 * {@code [X y]} gives coefficients, residual sum of squares and {@code (X'X)^-1} without ever forming {@code X'X}, so
 * precision follows the condition of X, not its square (NIST Longley passes to 10+ digits). Driver memory is
 * partitions x p x p, independent of the number of rows.
 *
 * <p>Rows are read as Spark's internal rows (no conversion to external {@code Row} objects) into a column-major
 * block, and each reflection only touches the current triangular row and the block below it, in contiguous loops.
 */
final class Tsqr {
  private static final int BLOCK = 4096;

  private Tsqr() {}

  /** R (p x p, upper triangular) of the matrix whose rows are the p double columns of {@code rows}. */
  static double[][] r(Dataset<Row> rows, int p) {
    List<double[][]> parts = rows.queryExecution().toRdd().toJavaRDD().mapPartitions(it -> partition(it, p)).collect();
    double[][] acc = new double[p][p];
    for (double[][] part : parts) {
      double[][] cols = new double[p][p];
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          cols[j][i] = part[i][j];
        }
      }
      reduce(acc, cols, p, p);
    }
    return acc;
  }

  private static Iterator<double[][]> partition(Iterator<InternalRow> it, int p) {
    double[][] acc = new double[p][p];
    double[][] block = new double[p][BLOCK];
    int n = 0;
    boolean any = false;
    while (it.hasNext()) {
      InternalRow row = it.next();
      for (int j = 0; j < p; j++) {
        block[j][n] = row.getDouble(j);
      }
      n++;
      any = true;
      if (n == BLOCK) {
        reduce(acc, block, n, p);
        n = 0;
      }
    }
    if (n > 0) {
      reduce(acc, block, n, p);
    }
    return any ? Collections.singletonList(acc).iterator() : Collections.emptyIterator();
  }

  /**
   * Replaces {@code acc} (p x p upper triangular, row-major) by the R factor of {@code [acc; B]} where B is the
   * first {@code n} rows of the column-major {@code block} (p columns). The block is overwritten.
   */
  static void reduce(double[][] acc, double[][] block, int n, int p) {
    for (int j = 0; j < p; j++) {
      double[] bj = block[j];
      double top = acc[j][j];
      double below = 0;
      for (int i = 0; i < n; i++) {
        below += bj[i] * bj[i];
      }
      if (below == 0) {
        continue;
      }
      double norm = Math.sqrt(top * top + below);
      double alpha = top > 0 ? -norm : norm;
      double v0 = top - alpha;
      double vtv = v0 * v0 + below;
      double[] rj = acc[j];
      for (int k = j + 1; k < p; k++) {
        double[] bk = block[k];
        double s = v0 * rj[k];
        for (int i = 0; i < n; i++) {
          s += bj[i] * bk[i];
        }
        double f = 2 * s / vtv;
        rj[k] -= f * v0;
        for (int i = 0; i < n; i++) {
          bk[i] -= f * bj[i];
        }
      }
      rj[j] = alpha;
    }
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

  /** Pads a factor with fewer than p rows with zero rows. */
  static double[][] square(double[][] r, int p) {
    double[][] out = new double[p][p];
    for (int i = 0; i < Math.min(p, r.length); i++) {
      System.arraycopy(r[i], 0, out[i], 0, p);
    }
    return out;
  }
}
