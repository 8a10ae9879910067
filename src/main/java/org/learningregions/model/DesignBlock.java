package org.learningregions.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;

/**
 * One partition of a model's estimation sample in primitive arrays: the response, the regressors, the weights, and
 * for each fixed effect and the cluster the level of every row as a slot in the partition's own {@link LevelIndex}
 * (levels are 64-bit keys: the value itself for integer columns, a hash of it otherwise, checked against the
 * values when the partitions' levels are merged). Built in one pass over the frame and kept in memory, so every
 * further step of the fit (levels, sweeps, QR, sandwich) reads arrays, not Spark rows.
 */
final class DesignBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  final int k;
  int n;
  long rowsRead;
  double[] y;
  double[][] x;
  double[] w;
  /** Per fixed effect: each row's slot, the partition's levels, and the display value of each slot. */
  int[][] fe;
  LevelIndex[] feLevels;
  String[][] feValues;
  /** Each row's cluster slot (null without a cluster), the partition's cluster levels and their values. */
  int[] cl;
  LevelIndex clLevels;
  String[] clValues;
  /** Per extra grouping (second cluster, Driscoll-Kraay time): each row's slot, the levels and their values. */
  int[][] ex;
  LevelIndex[] exLevels;
  String[][] exValues;

  private DesignBlock(int k, int nFe, boolean cluster, int nExtra, int capacity) {
    this.k = k;
    y = new double[capacity];
    w = new double[capacity];
    x = new double[k][capacity];
    fe = new int[nFe][capacity];
    feLevels = new LevelIndex[nFe];
    feValues = new String[nFe][];
    for (int f = 0; f < nFe; f++) {
      feLevels[f] = new LevelIndex(1024);
      feValues[f] = new String[1024];
    }
    if (cluster) {
      cl = new int[capacity];
      clLevels = new LevelIndex(1024);
      clValues = new String[1024];
    }
    ex = new int[nExtra][capacity];
    exLevels = new LevelIndex[nExtra];
    exValues = new String[nExtra][];
    for (int e = 0; e < nExtra; e++) {
      exLevels[e] = new LevelIndex(1024);
      exValues[e] = new String[1024];
    }
  }

  /** After reading: a cluster that is a fixed effect shares that effect's levels. */
  private void shareClusterLevels(int clusterFe) {
    if (cl != null && clusterFe >= 0) {
      clLevels = feLevels[clusterFe];
      clValues = feValues[clusterFe];
    }
  }

  int nFe() {
    return fe.length;
  }

  /** Reads one partition of a {@link ModelFrame} layout: rows whose completeness flag is false are counted only. */
  static DesignBlock read(Iterator<InternalRows.Fields> rows, ModelFrame.Layout layout) {
    DesignBlock b = new DesignBlock(layout.k(), layout.nFe(), layout.hasCluster(), layout.nExtra(), 4096);
    while (rows.hasNext()) {
      InternalRows.Fields r = rows.next();
      b.rowsRead++;
      if (!r.getBoolean(layout.ok())) {
        continue;
      }
      if (b.n == b.y.length) {
        b.grow();
      }
      int i = b.n++;
      b.y[i] = r.getDouble(layout.y());
      for (int j = 0; j < b.k; j++) {
        b.x[j][i] = r.getDouble(layout.x(j));
      }
      b.w[i] = r.getDouble(layout.w());
      for (int f = 0; f < b.fe.length; f++) {
        b.fe[f][i] = b.slot(b.feLevels[f], f, r, layout.feKey(f), layout.feValue(f));
      }
      if (b.cl != null) {
        // A cluster that is one of the fixed effects has the same levels: the same slots, no second lookup.
        b.cl[i] = layout.clusterFe() >= 0 ? b.fe[layout.clusterFe()][i]
            : b.slot(b.clLevels, -1, r, layout.clusterKey(), layout.clusterValue());
      }
      for (int e = 0; e < b.ex.length; e++) {
        b.ex[e][i] = b.slot(b.exLevels[e], -2 - e, r, layout.extraKey(e), layout.extraValue(e));
      }
    }
    b.shareClusterLevels(layout.clusterFe());
    return b;
  }

  private int slot(LevelIndex levels, int f, InternalRows.Fields r, int keyField, int valueField) {
    long key = r.getLong(keyField);
    int before = levels.size();
    int s = levels.slotOf(key);
    if (s == before) {
      String value = valueField < 0 ? Long.toString(key) : r.getString(valueField);
      if (f >= 0) {
        feValues[f] = put(feValues[f], s, value);
      } else if (f <= -2) {
        exValues[-2 - f] = put(exValues[-2 - f], s, value);
      } else {
        clValues = put(clValues, s, value);
      }
    }
    return s;
  }

  private static String[] put(String[] values, int s, String value) {
    String[] out = s < values.length ? values : Arrays.copyOf(values, values.length * 2);
    out[s] = value;
    return out;
  }

  private void grow() {
    int cap = y.length * 2;
    y = Arrays.copyOf(y, cap);
    w = Arrays.copyOf(w, cap);
    for (int j = 0; j < k; j++) {
      x[j] = Arrays.copyOf(x[j], cap);
    }
    for (int f = 0; f < fe.length; f++) {
      fe[f] = Arrays.copyOf(fe[f], cap);
    }
    if (cl != null) {
      cl = Arrays.copyOf(cl, cap);
    }
    for (int e = 0; e < ex.length; e++) {
      ex[e] = Arrays.copyOf(ex[e], cap);
    }
  }

  /** The rows where {@code keep} is true, levels unchanged (a level may be left without rows). */
  DesignBlock keep(boolean[] keep) {
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        m++;
      }
    }
    DesignBlock b = shell(m);
    int o = 0;
    for (int i = 0; i < n; i++) {
      if (!keep[i]) {
        continue;
      }
      b.y[o] = y[i];
      b.w[o] = w[i];
      for (int j = 0; j < k; j++) {
        b.x[j][o] = x[j][i];
      }
      for (int f = 0; f < fe.length; f++) {
        b.fe[f][o] = fe[f][i];
      }
      if (cl != null) {
        b.cl[o] = cl[i];
      }
      for (int e = 0; e < ex.length; e++) {
        b.ex[e][o] = ex[e][i];
      }
      o++;
    }
    b.n = m;
    return b;
  }

  /** The same rows and levels with other response and regressor values (after a demeaning sweep). */
  DesignBlock withValues(double[] newY, double[][] newX) {
    DesignBlock b = new DesignBlock(this, newY, newX);
    return b;
  }

  private DesignBlock(DesignBlock o, double[] newY, double[][] newX) {
    this.k = o.k;
    this.n = o.n;
    this.rowsRead = o.rowsRead;
    this.y = newY;
    this.x = newX;
    this.w = o.w;
    this.fe = o.fe;
    this.feLevels = o.feLevels;
    this.feValues = o.feValues;
    this.cl = o.cl;
    this.clLevels = o.clLevels;
    this.clValues = o.clValues;
    this.ex = o.ex;
    this.exLevels = o.exLevels;
    this.exValues = o.exValues;
  }

  private DesignBlock shell(int capacity) {
    DesignBlock b = new DesignBlock(k, fe.length, false, ex.length, Math.max(1, capacity));
    b.rowsRead = rowsRead;
    b.exLevels = exLevels;
    b.exValues = exValues;
    b.feLevels = feLevels;
    b.feValues = feValues;
    if (cl != null) {
      b.cl = new int[Math.max(1, capacity)];
      b.clLevels = clLevels;
      b.clValues = clValues;
    }
    return b;
  }

  /** The cluster key of row {@code i}, or the row itself when there is no cluster. */
  long clusterKey(int i) {
    return cl == null ? i : clLevels.key(cl[i]);
  }
}
