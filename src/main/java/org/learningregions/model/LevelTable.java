package org.learningregions.model;

import java.io.Serializable;
import java.util.Arrays;
import org.learningregions.LearningRegionsException;

/**
 * Sums per level (of a fixed effect or the cluster), mergeable across partitions: a fixed number of doubles per
 * level, the level's value as text, and, for fixed effects, whether all its rows share one cluster (nesting, which
 * changes the cluster-robust degrees of freedom). Partitions build one each; {@link #merge} combines them by key in a
 * tree, so the driver receives one table of levels, never rows.
 */
final class LevelTable implements Serializable {
  private static final long serialVersionUID = 1L;
  /** No cluster seen yet for a level. */
  static final long NO_CLUSTER = Long.MIN_VALUE;

  final int width;
  final LevelIndex index;
  double[] sums;
  String[] names;
  long[] cluster;
  boolean[] mixed;

  /** A table of sums only: no level names, no cluster nesting (what the sweeps and scores need). */
  LevelTable(int width, int expected) {
    this(width, expected, false);
  }

  /**
   * @param described also keep each level's value as text and its cluster nesting (what the summary of the sample
   *     needs: names of dummy columns, nesting for the degrees of freedom)
   */
  LevelTable(int width, int expected, boolean described) {
    this.width = width;
    this.index = new LevelIndex(expected);
    this.sums = new double[Math.max(16, expected) * width];
    if (described) {
      this.names = new String[Math.max(16, expected)];
      this.cluster = new long[Math.max(16, expected)];
      this.mixed = new boolean[Math.max(16, expected)];
      Arrays.fill(cluster, NO_CLUSTER);
    }
  }

  int size() {
    return index.size();
  }

  /** The slot of {@code key}, added (with its value as text) when new. */
  int slot(long key, String name) {
    int before = index.size();
    int s = index.slotOf(key);
    if (s == before) {
      ensure(s + 1);
      if (names != null) {
        names[s] = name;
      }
    }
    return s;
  }

  void add(int slot, int v, double amount) {
    sums[slot * width + v] += amount;
  }

  double get(int slot, int v) {
    return sums[slot * width + v];
  }

  /** Records that a row of level {@code slot} is in cluster {@code clusterKey}. */
  void seeCluster(int slot, long clusterKey) {
    if (cluster[slot] == NO_CLUSTER) {
      cluster[slot] = clusterKey;
    } else if (cluster[slot] != clusterKey) {
      mixed[slot] = true;
    }
  }

  /** Every level of {@code other} added into this one (sums added, nesting combined); returns this. */
  LevelTable merge(LevelTable other) {
    boolean described = names != null && other.names != null;
    for (int o = 0; o < other.size(); o++) {
      int s = slot(other.index.key(o), described ? other.names[o] : null);
      if (described && names[s] != null && other.names[o] != null && !names[s].equals(other.names[o])) {
        throw LearningRegionsException.failure("levels '" + names[s] + "' and '" + other.names[o]
            + "' have the same 64-bit key; rename one of them");
      }
      for (int v = 0; v < width; v++) {
        sums[s * width + v] += other.sums[o * width + v];
      }
      if (described) {
        if (other.cluster[o] != NO_CLUSTER) {
          seeCluster(s, other.cluster[o]);
        }
        mixed[s] |= other.mixed[o];
      }
    }
    return this;
  }

  private void ensure(int n) {
    int capacity = sums.length / Math.max(1, width);
    if (width == 0) {
      capacity = names == null ? Integer.MAX_VALUE : names.length;
    }
    if (n > capacity) {
      int cap = Math.max(n, capacity * 2);
      sums = Arrays.copyOf(sums, cap * width);
      if (names != null) {
        names = Arrays.copyOf(names, cap);
        mixed = Arrays.copyOf(mixed, cap);
        int old = cluster.length;
        cluster = Arrays.copyOf(cluster, cap);
        Arrays.fill(cluster, old, cap, NO_CLUSTER);
      }
    }
  }
}
