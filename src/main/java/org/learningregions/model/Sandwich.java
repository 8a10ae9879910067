package org.learningregions.model;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;

/**
 * The "meat" of the HC1 and cluster-robust sandwich: the sum of outer products of the scores
 * {@code u = w * x.. * e}, per observation or of their sums per cluster. {@code x..} are the kept regressors
 * residualised on the kept dummy columns ({@code x~ - Gamma' d~}, Gamma from the QR factor: Frisch-Waugh-Lovell, so
 * only the regressors' block is formed) and {@code e} the residual over every kept column. One pass over the design;
 * per-cluster sums are merged in a tree by cluster key.
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

  static double[][] meat(Design design, Broadcast<DesignRows> rows, Scores scores, boolean byCluster) {
    Broadcast<Scores> s = design.broadcast(scores);
    int q = scores.q();
    double[][] meat;
    if (!byCluster) {
      meat = design.blocks.map(b -> {
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
    } else {
      LevelTable sums = design.blocks.map(b -> {
        LevelTable t = new LevelTable(q, b.clLevels.size());
        int[] slot = Design.local(t, b.clLevels, b.clValues);
        double[] u = new double[q];
        forEachScore(b, rows.value(), s.value(), (i, score) -> {
          int base = slot[b.cl[i]] * q;
          for (int a = 0; a < q; a++) {
            t.sums[base + a] += score[a];
          }
        }, u);
        return t;
      }).treeReduce(LevelTable::merge, 2);
      meat = new double[q][q];
      for (int g = 0; g < sums.size(); g++) {
        int base = g * q;
        for (int a = 0; a < q; a++) {
          for (int c = a; c < q; c++) {
            meat[a][c] += sums.sums[base + a] * sums.sums[base + c];
          }
        }
      }
    }
    for (int a = 0; a < q; a++) {
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
