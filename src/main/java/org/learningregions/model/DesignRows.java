package org.learningregions.model;

import java.io.Serializable;

/**
 * The rows of the least-squares problem, generated from a {@link DesignBlock} as the QR and the sandwich need them:
 * {@code [dummy columns, (intercept), regressors, response]}, unweighted. Nothing wider than the blocks is stored:
 * <ul>
 *   <li>pooled models: the intercept and the regressors and response centred on their weighted means (an exact
 *       reparametrisation that keeps ill-conditioned data such as Longley accurate);</li>
 *   <li>one absorbed effect {@code a} (alone, or with a second effect {@code d} as dummy columns): y and x are
 *       demeaned within {@code a} as rows are generated, from the level sums of one pass, and each dummy column of
 *       {@code d} from the weighted shares of its level in each level of {@code a} (1[d = l] - share), which is
 *       exactly what demeaning the column would give;</li>
 *   <li>otherwise: the blocks hold y and x with every effect absorbed by alternating sweeps.</li>
 * </ul>
 */
final class DesignRows implements Serializable {
  private static final long serialVersionUID = 1L;

  final int k;
  final boolean intercept;
  final double meanY;
  final double[] meanX;
  final int absorbed;
  final int dummyFe;
  final LevelIndex dummyColumns;
  /** {@link Design#levelSums} of the absorbed effect, or null when the blocks are already demeaned. */
  final LevelTable sums;

  private DesignRows(int k, boolean intercept, double meanY, double[] meanX, int absorbed, int dummyFe,
      LevelIndex dummyColumns, LevelTable sums) {
    this.k = k;
    this.intercept = intercept;
    this.meanY = meanY;
    this.meanX = meanX;
    this.absorbed = absorbed;
    this.dummyFe = dummyFe;
    this.dummyColumns = dummyColumns;
    this.sums = sums;
  }

  static DesignRows pooled(int k, double meanY, double[] meanX) {
    return new DesignRows(k, true, meanY, meanX, -1, -1, null, null);
  }

  /** Blocks whose y and x are demeaned already. */
  static DesignRows absorbed(int k) {
    return new DesignRows(k, false, 0, null, -1, -1, null, null);
  }

  /** One effect absorbed on the fly; {@code dummyFe} (or -1) enters as {@code dummyColumns}. */
  static DesignRows oneAbsorbed(int k, int absorbed, LevelTable sums, int dummyFe, LevelIndex dummyColumns) {
    return new DesignRows(k, false, 0, null, absorbed, dummyFe, dummyColumns, sums);
  }

  int dummies() {
    return dummyColumns == null ? 0 : dummyColumns.size();
  }

  /** Columns before the response. */
  int columns() {
    return dummies() + (intercept ? 1 : 0) + k;
  }

  /**
   * Per-block lookups, found once per block: each absorbed level's means of y and x and shares of the dummy levels,
   * and each slot's dummy column.
   */
  final class Prepared {
    final DesignBlock block;
    final int[] dummyOfSlot;
    /** Per slot of the absorbed effect, flat ({@code slot * width}): mean y, mean x_j, then the dummy shares. */
    final double[] meanOfSlot;
    final int width;

    Prepared(DesignBlock b) {
      block = b;
      dummyOfSlot = dummyColumns == null ? null : Design.dummyColumnOfSlot(b, dummyFe, dummyColumns);
      if (sums == null) {
        meanOfSlot = null;
        width = 0;
        return;
      }
      int levels = b.feLevels[absorbed].size();
      width = sums.width - 1;
      meanOfSlot = new double[levels * width];
      for (int s = 0; s < levels; s++) {
        int g = sums.index.find(b.feLevels[absorbed].key(s));
        if (g >= 0) {
          double sw = sums.get(g, 0);
          for (int c = 0; c < width; c++) {
            meanOfSlot[s * width + c] = sums.get(g, 1 + c) / sw;
          }
        }
      }
    }

    /** Row {@code i} into {@code out} (length {@link #columns()} + 1). */
    void fill(int i, double[] out) {
      DesignBlock b = block;
      int o = 0;
      double[] mean = meanOfSlot;
      int at = mean == null ? 0 : b.fe[absorbed][i] * width;
      if (dummyOfSlot != null) {
        int nd = dummyColumns.size();
        for (int c = 0; c < nd; c++) {
          out[c] = -mean[at + 1 + k + c];
        }
        int own = dummyOfSlot[b.fe[dummyFe][i]];
        if (own >= 0) {
          out[own] += 1;
        }
        o = nd;
      }
      if (intercept) {
        out[o++] = 1;
        for (int j = 0; j < k; j++) {
          out[o++] = b.x[j][i] - meanX[j];
        }
        out[o] = b.y[i] - meanY;
      } else if (mean != null) {
        for (int j = 0; j < k; j++) {
          out[o++] = b.x[j][i] - mean[at + 1 + j];
        }
        out[o] = b.y[i] - mean[at];
      } else {
        for (int j = 0; j < k; j++) {
          out[o++] = b.x[j][i];
        }
        out[o] = b.y[i];
      }
    }
  }
}
