package org.learningregions.model;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * A model's estimation sample in memory: one {@link DesignBlock} per partition, read from the frame in one pass and
 * cached, and the passes a fit makes over it. Each pass is one Spark job over arrays; what comes back to the driver
 * is a table per level (merged in a tree across partitions) or a small matrix, never rows.
 */
final class Design {
  /** Tree depth of the merges: the driver receives one table, whatever the number of partitions. */
  private static final int DEPTH = 2;

  final JavaRDD<DesignBlock> blocks;
  final ModelFrame.Layout layout;
  final JavaSparkContext jsc;

  private Design(JavaRDD<DesignBlock> blocks, ModelFrame.Layout layout, JavaSparkContext jsc) {
    this.blocks = blocks.persist(StorageLevel.MEMORY_ONLY());
    this.layout = layout;
    this.jsc = jsc;
  }

  /** Rows read and rows complete: the pass that fills the cache. */
  record Counts(long read, long complete) {}

  /**
   * Reads the frame into one block per core (fewer, larger blocks: every pass then merges fewer per-level tables).
   */
  static Design read(SparkSession spark, ModelFrame.Columns frame) {
    ModelFrame.Layout layout = frame.layout();
    int cores = spark.sparkContext().defaultParallelism();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> data = frame.data();
    if (data.rdd().getNumPartitions() > cores) {
      data = data.coalesce(cores);
    }
    JavaRDD<DesignBlock> blocks = InternalRows.mapPartitions(data, rows -> DesignBlock.read(rows, layout));
    return new Design(blocks, layout, JavaSparkContext.fromSparkContext(spark.sparkContext()));
  }

  /**
   * One pass over the sample: rows read and kept, every fixed effect's levels (rows in sum 0, weight in sum 1, value
   * and nesting in the cluster), the clusters (rows in sum 0), and the weighted moments (sum w, sum wy, sum wy^2,
   * then per regressor sum wx and sum wx^2).
   */
  record Summary(long read, long complete, LevelTable[] levels, LevelTable clusters, double[] moments)
      implements java.io.Serializable {
    Summary merge(Summary o) {
      for (int f = 0; f < levels.length; f++) {
        levels[f].merge(o.levels[f]);
      }
      if (clusters != null) {
        clusters.merge(o.clusters);
      }
      add(moments, o.moments);
      return new Summary(read + o.read, complete + o.complete, levels, clusters, moments);
    }
  }

  Summary summary() {
    int nFe = layout.nFe();
    int k = layout.k();
    return blocks.map(b -> {
      LevelTable[] t = new LevelTable[nFe];
      for (int f = 0; f < nFe; f++) {
        t[f] = new LevelTable(2, b.feLevels[f].size(), true);
        int[] slot = local(t[f], b.feLevels[f], b.feValues[f]);
        int[] fe = b.fe[f];
        for (int i = 0; i < b.n; i++) {
          int s = slot[fe[i]];
          t[f].sums[2 * s] += 1;
          t[f].sums[2 * s + 1] += b.w[i];
          if (b.cl != null) {
            t[f].seeCluster(s, b.clusterKey(i));
          }
        }
      }
      LevelTable clusters = null;
      if (b.cl != null) {
        clusters = new LevelTable(1, b.clLevels.size());
        int[] slot = local(clusters, b.clLevels, b.clValues);
        for (int i = 0; i < b.n; i++) {
          clusters.sums[slot[b.cl[i]]] += 1;
        }
      }
      double[] m = new double[3 + 2 * k];
      for (int i = 0; i < b.n; i++) {
        double w = b.w[i];
        m[0] += w;
        m[1] += w * b.y[i];
        m[2] += w * b.y[i] * b.y[i];
      }
      for (int j = 0; j < k; j++) {
        double[] x = b.x[j];
        double sx = 0;
        double sx2 = 0;
        for (int i = 0; i < b.n; i++) {
          sx += b.w[i] * x[i];
          sx2 += b.w[i] * x[i] * x[i];
        }
        m[3 + 2 * j] = sx;
        m[4 + 2 * j] = sx2;
      }
      return new Summary(b.rowsRead, b.n, t, clusters, m);
    }).treeReduce(Summary::merge, DEPTH);
  }

  /**
   * Per fixed effect, whether every level's rows share one level of extra grouping {@code e} (nesting in a second
   * cluster, which changes what the two-way cluster small-sample factor counts).
   */
  boolean[] nestedInExtra(int e) {
    int nFe = layout.nFe();
    LevelTable[] seen = blocks.map(b -> {
      LevelTable[] t = new LevelTable[nFe];
      for (int f = 0; f < nFe; f++) {
        t[f] = new LevelTable(0, b.feLevels[f].size(), true);
        int[] slot = local(t[f], b.feLevels[f], b.feValues[f]);
        for (int i = 0; i < b.n; i++) {
          t[f].seeCluster(slot[b.fe[f][i]], b.exLevels[e].key(b.ex[e][i]));
        }
      }
      return t;
    }).treeReduce((a, b) -> {
      for (int f = 0; f < nFe; f++) {
        a[f].merge(b[f]);
      }
      return a;
    }, DEPTH);
    boolean[] nested = new boolean[nFe];
    for (int f = 0; f < nFe; f++) {
      nested[f] = true;
      for (int g = 0; g < seen[f].size(); g++) {
        nested[f] &= !seen[f].mixed[g];
      }
    }
    return nested;
  }

  <T> Broadcast<T> broadcast(T value) {
    return jsc.broadcast(value);
  }

  /** A new design from this one's blocks; this one is released. */
  Design replace(JavaRDD<DesignBlock> next) {
    Design d = new Design(next, layout, jsc);
    d.blocks.count();
    release();
    return d;
  }

  void release() {
    blocks.unpersist(false);
  }

  /**
   * Per level of fixed effect {@code f}: sum w (0), sum wy (1), sum wx_j (2 + j), and, when {@code dummyFe} has
   * dummy columns, the weight of the level's rows in each dummy column's level (2 + k + c): what demeans y, the
   * regressors and the dummy columns within {@code f}.
   */
  LevelTable levelSums(int f, int dummyFe, LevelIndex dummyColumns) {
    int k = layout.k();
    int nd = dummyColumns == null ? 0 : dummyColumns.size();
    Broadcast<LevelIndex> columns = dummyColumns == null ? null : broadcast(dummyColumns);
    return blocks.map(b -> {
      LevelTable t = new LevelTable(2 + k + nd, b.feLevels[f].size());
      int[] slot = local(t, b.feLevels[f], null);
      int[] column = columns == null ? null : dummyColumnOfSlot(b, dummyFe, columns.value());
      int[] fe = b.fe[f];
      int width = t.width;
      for (int i = 0; i < b.n; i++) {
        int s = slot[fe[i]] * width;
        double w = b.w[i];
        t.sums[s] += w;
        t.sums[s + 1] += w * b.y[i];
        for (int j = 0; j < k; j++) {
          t.sums[s + 2 + j] += w * b.x[j][i];
        }
        if (column != null) {
          int c = column[b.fe[dummyFe][i]];
          if (c >= 0) {
            t.sums[s + 2 + k + c] += w;
          }
        }
      }
      return t;
    }).treeReduce(LevelTable::merge, DEPTH);
  }

  /**
   * The design with the weighted level means of fixed effect {@code f} subtracted from y and every regressor (one
   * step of the within transformation); {@code sums} is {@link #levelSums} of the same design.
   */
  Design subtractMeans(int f, LevelTable sums) {
    Broadcast<LevelTable> means = broadcast(sums);
    int k = layout.k();
    return replace(blocks.map(b -> {
      LevelTable m = means.value();
      int levels = b.feLevels[f].size();
      double[][] mean = new double[levels][];
      for (int s = 0; s < levels; s++) {
        int g = m.index.find(b.feLevels[f].key(s));
        double sw = m.get(g, 0);
        double[] v = new double[1 + k];
        for (int j = 0; j <= k; j++) {
          v[j] = m.get(g, 1 + j) / sw;
        }
        mean[s] = v;
      }
      int[] fe = b.fe[f];
      double[] y = new double[b.n];
      double[][] x = new double[k][b.n];
      for (int i = 0; i < b.n; i++) {
        double[] v = mean[fe[i]];
        y[i] = b.y[i] - v[0];
        for (int j = 0; j < k; j++) {
          x[j][i] = b.x[j][i] - v[1 + j];
        }
      }
      return b.withValues(y, x);
    }));
  }

  /** The design without rows of the given levels (per fixed effect, null: none). */
  Design dropLevels(List<LevelIndex> dropped) {
    Broadcast<List<LevelIndex>> drop = broadcast(dropped);
    return replace(blocks.map(b -> {
      List<LevelIndex> d = drop.value();
      boolean[] keep = new boolean[b.n];
      java.util.Arrays.fill(keep, true);
      for (int f = 0; f < b.nFe(); f++) {
        if (d.get(f) == null) {
          continue;
        }
        boolean[] gone = new boolean[b.feLevels[f].size()];
        for (int s = 0; s < gone.length; s++) {
          gone[s] = d.get(f).find(b.feLevels[f].key(s)) >= 0;
        }
        for (int i = 0; i < b.n; i++) {
          if (gone[b.fe[f][i]]) {
            keep[i] = false;
          }
        }
      }
      return b.keep(keep);
    }));
  }

  /** For each local slot of fixed effect {@code d}: its dummy column, or -1 for the reference level. */
  static int[] dummyColumnOfSlot(DesignBlock b, int d, LevelIndex columns) {
    int[] out = new int[b.feLevels[d].size()];
    for (int s = 0; s < out.length; s++) {
      out[s] = columns.find(b.feLevels[d].key(s));
    }
    return out;
  }

  /** Adds every slot of {@code levels} to {@code t} in slot order, so a block's slot is the table's slot. */
  static int[] local(LevelTable t, LevelIndex levels, String[] values) {
    int[] out = new int[levels.size()];
    for (int s = 0; s < out.length; s++) {
      out[s] = t.slot(levels.key(s), values == null ? null : values[s]);
    }
    return out;
  }

  static long[] add(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  static double[] add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /** Function2 for treeReduce of double matrices (upper triangles summed). */
  static final Function2<double[][], double[][], double[][]> ADD_MATRICES = (a, b) -> {
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        a[i][j] += b[i][j];
      }
    }
    return a;
  };
}
