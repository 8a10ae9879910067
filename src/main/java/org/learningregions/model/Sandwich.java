package org.learningregions.model;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;

/**
 * The "meat" of the HC1 and cluster-robust sandwich: the sum of outer products of the scores
 * {@code u = w * x.. * e}, per observation or of their sums per cluster. {@code x..} are the kept regressors
 * residualised on the kept dummy columns ({@code x~ - Gamma' d~}, Gamma from the QR factor: Frisch-Waugh-Lovell, so
 * only the regressors' block is formed) and {@code e} the residual over every kept column. One pass over the design;
 * sums per level of a {@link Grouping} (cluster, second cluster, their intersection, time period) are merged in a
 * tree by key.
 */
final class Sandwich {
  private Sandwich() {}

  /**
   * What the scores need from the solve.
   *
   * @param keep kept columns of the design rows, dummies first
   * @param coefficients the coefficient of each kept column
   * @param keptDummies how many of {@code keep} are dummy columns
   * @param gamma keptDummies x q: the regressors' coefficients on the dummy columns
   */
  record Scores(int[] keep, double[] coefficients, int keptDummies, double[][] gamma) implements Serializable {
    int q() {
      return keep.length - keptDummies;
    }
  }

  /**
   * A grouping the scores are summed over: the cluster ({@link ModelSpec#cluster()}), an extra grouping of the
   * layout (second cluster, Driscoll-Kraay time), or the intersection of the cluster and an extra grouping (the cells
   * of two-way clustering). Level keys are the 64-bit keys of {@link DesignBlock}, the same in every block.
   */
  record Grouping(boolean cluster, int extra) implements Serializable {
    static Grouping ofCluster() {
      return new Grouping(true, -1);
    }

    static Grouping ofExtra(int e) {
      return new Grouping(false, e);
    }

    static Grouping clusterAnd(int e) {
      return new Grouping(true, e);
    }

    /** Per row, the slot of its level in {@code t}. */
    int[] slots(DesignBlock b, LevelTable t) {
      int[] out = new int[b.n];
      if (cluster && extra >= 0) {
        for (int i = 0; i < b.n; i++) {
          long h = b.clLevels.key(b.cl[i]) * 0x9E3779B97F4A7C15L + b.exLevels[extra].key(b.ex[extra][i]);
          out[i] = t.slot(h ^ (h >>> 29), null);
        }
        return out;
      }
      // One lookup per level of the block, not per row.
      int[] local = Design.local(t, cluster ? b.clLevels : b.exLevels[extra], null);
      int[] rowLevel = cluster ? b.cl : b.ex[extra];
      for (int i = 0; i < b.n; i++) {
        out[i] = local[rowLevel[i]];
      }
      return out;
    }
  }

  /** The HC meat: the sum over rows of the outer product of the scores. */
  static double[][] meat(Design design, Broadcast<DesignRows> rows, Scores scores) {
    Broadcast<Scores> s = design.broadcast(scores);
    int q = scores.q();
    double[][] meat = design.blocks.map(b -> {
      double[][] acc = new double[q][q];
      double[] u = new double[q];
      forEachScore(b, rows.value(), s.value(), (i, score) -> {
        for (int a = 0; a < q; a++) {
          for (int c = a; c < q; c++) {
            acc[a][c] += score[a] * score[c];
          }
        }
      }, u);
      return acc;
    }).treeReduce(Design.ADD_MATRICES, 2);
    return symmetric(meat);
  }

  /** The cluster meat of a grouping: the sum over its levels of the outer product of the level's score sums. */
  static double[][] meat(LevelTable sums, int q) {
    double[][] meat = new double[q][q];
    for (int g = 0; g < sums.size(); g++) {
      int base = g * sums.width;
      for (int a = 0; a < q; a++) {
        for (int c = a; c < q; c++) {
          meat[a][c] += sums.sums[base + a] * sums.sums[base + c];
        }
      }
    }
    return symmetric(meat);
  }

  /**
   * The scores summed per level of each grouping, all in one pass (each row's score is formed once): per level the q
   * score sums, then the level's row count (column q), so levels left without rows (after singletons were dropped)
   * can be told apart. One table per grouping, in their order.
   */
  static LevelTable[] sums(Design design, Broadcast<DesignRows> rows, Scores scores, Grouping... groupings) {
    Broadcast<Scores> s = design.broadcast(scores);
    int q = scores.q();
    int k = groupings.length;
    return design.blocks.map(b -> {
      LevelTable[] t = new LevelTable[k];
      int[][] slot = new int[k][];
      for (int g = 0; g < k; g++) {
        t[g] = new LevelTable(q + 1, 1024);
        slot[g] = groupings[g].slots(b, t[g]);
      }
      double[] u = new double[q];
      forEachScore(b, rows.value(), s.value(), (i, score) -> {
        for (int g = 0; g < k; g++) {
          double[] sums = t[g].sums;
          int base = slot[g][i] * (q + 1);
          for (int a = 0; a < q; a++) {
            sums[base + a] += score[a];
          }
          sums[base + q] += 1;
        }
      }, u);
      return t;
    }).treeReduce((x, y) -> {
      for (int g = 0; g < k; g++) {
        x[g].merge(y[g]);
      }
      return x;
    }, 2);
  }

  private static double[][] symmetric(double[][] meat) {
    for (int a = 0; a < meat.length; a++) {
      for (int c = 0; c < a; c++) {
        meat[a][c] = meat[c][a];
      }
    }
    return meat;
  }

  /** Receives each row's score vector (reused between rows). */
  private interface ScoreSink {
    void accept(int row, double[] score);
  }

  private static void forEachScore(DesignBlock b, DesignRows rows, Scores s, ScoreSink sink, double[] u) {
    DesignRows.Prepared prepared = rows.new Prepared(b);
    double[] z = new double[rows.columns() + 1];
    int y = rows.columns();
    int kd = s.keptDummies();
    int q = s.q();
    for (int i = 0; i < b.n; i++) {
      prepared.fill(i, z);
      double e = z[y];
      for (int t = 0; t < s.keep().length; t++) {
        e -= z[s.keep()[t]] * s.coefficients()[t];
      }
      double we = b.w[i] * e;
      for (int j = 0; j < q; j++) {
        double x = z[s.keep()[kd + j]];
        for (int l = 0; l < kd; l++) {
          x -= z[s.keep()[l]] * s.gamma()[l][j];
        }
        u[j] = we * x;
      }
      sink.accept(i, u);
    }
  }
}
