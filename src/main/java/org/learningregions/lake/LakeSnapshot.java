package org.learningregions.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;

/**
 * The lakehouse as one run left it: every table at the Delta version recorded by the last write of that table in the
 * run manifests up to and including the run (run ids start with their UTC start time, so they sort in time). A table
 * no run had written by then does not exist in the snapshot. Without a run id, every table at its latest version.
 */
public final class LakeSnapshot {
  private final Lakehouse lake;
  private final String runId;
  /** Table -> Delta version; null for "latest". */
  private final Map<String, Long> versions;

  private LakeSnapshot(Lakehouse lake, String runId, Map<String, Long> versions) {
    this.lake = lake;
    this.runId = runId;
    this.versions = versions;
  }

  public static LakeSnapshot latest(Lakehouse lake) {
    return new LakeSnapshot(lake, null, null);
  }

  /** The snapshot after run {@code runId}, from the manifests in {@code <lakehouse>/_runs/}. */
  public static LakeSnapshot afterRun(Lakehouse lake, String runId) {
    Path dir = new Path(Lakehouse.absolute(lake.root()) + "/_runs");
    Map<String, Long> versions = new HashMap<>();
    try {
      FileSystem fs = dir.getFileSystem(lake.spark().sparkContext().hadoopConfiguration());
      if (!fs.exists(new Path(dir, runId + ".json"))) {
        throw LearningRegionsException.usage("no run " + runId + " in " + dir + " (see `history` for run ids)");
      }
      List<String> names = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (name.endsWith(".json") && name.substring(0, name.length() - 5).compareTo(runId) <= 0) {
          names.add(name);
        }
      }
      names.sort(null);
      ObjectMapper mapper = new ObjectMapper();
      for (String name : names) {
        try (InputStream in = fs.open(new Path(dir, name))) {
          for (JsonNode stage : mapper.readTree(in).path("stages")) {
            for (JsonNode t : stage.path("tables")) {
              if (t.path("version_after").asLong(-1) >= 0) {
                versions.put(t.path("table").asText(), t.path("version_after").asLong());
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot read run manifests in " + dir + ": " + e.getMessage(), e);
    }
    return new LakeSnapshot(lake, runId, Map.copyOf(versions));
  }

  /** The run this snapshot is after, or null for the latest state. */
  public String runId() {
    return runId;
  }

  public boolean exists(TableId table) {
    return versions == null ? lake.exists(table) : versions.containsKey(table.toString()) && lake.exists(table);
  }

  public Dataset<Row> read(TableId table) {
    if (versions == null) {
      return lake.read(table);
    }
    if (!exists(table)) {
      throw LearningRegionsException.failure("table " + table + " had not been written by run " + runId);
    }
    long version = versions.get(table.toString());
    Dataset<Row> df;
    try {
      df = lake.spark().read().format("delta").option("versionAsOf", version).load(lake.path(table));
    } catch (RuntimeException e) {
      String msg = String.valueOf(e.getMessage());
      throw LearningRegionsException.failure("table " + table + " at version " + version + ", as run " + runId
          + " left it, cannot be read: " + msg.lines().findFirst().orElse(msg), e);
    }
    // VACUUM (maintain) removes the data files of versions older than its retention while their log entries stay:
    // Spark would fail deep in a job. The version's file list comes from the log alone, so check it here.
    long missing = missingFiles(df.inputFiles());
    if (missing > 0) {
      throw LearningRegionsException.failure("table " + table + " at version " + version + ", as run " + runId
          + " left it, is no longer readable: " + missing + " of its data files were removed by VACUUM (maintain); "
          + "report the latest state, or an id of a run within the retention (see `history`)");
    }
    return df;
  }

  private long missingFiles(String[] files) {
    try {
      long missing = 0;
      for (String f : files) {
        Path p = new Path(f);
        if (!p.getFileSystem(lake.spark().sparkContext().hadoopConfiguration()).exists(p)) {
          missing++;
        }
      }
      return missing;
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot check the files of a table: " + e.getMessage(), e);
    }
  }

  public long version(TableId table) {
    return versions == null ? lake.version(table) : versions.getOrDefault(table.toString(), -1L);
  }
}
