package org.learningregions.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON record of one command run, written to {@code <lakehouse>/_runs/<run id>.json}: stages with wall time,
 * rows in and out, the Delta versions each write produced, and the configuration used (secrets masked). A scheduler
 * reads it to see what ran and what changed.
 */
public final class RunManifest {
  private static final Logger LOG = LoggerFactory.getLogger(RunManifest.class);
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String runId;
  private final String command;
  private final Instant started = Instant.now();
  private final List<Stage> stages = new ArrayList<>();
  private final Map<String, Object> extra = new LinkedHashMap<>();
  private Map<String, Object> config = Map.of();
  private String status = "running";
  private String error;

  public RunManifest(String runId, String command) {
    this.runId = runId;
    this.command = command;
  }

  /** A new run id: UTC time to the second plus 4 hex digits, sortable and unique enough for one lakehouse. */
  public static String newRunId() {
    return RUN_ID_TIME.format(Instant.now()) + "-" + String.format("%04x", ThreadLocalRandom.current()
        .nextInt(0x10000));
  }

  public String runId() {
    return runId;
  }

  public void config(Map<String, Object> redacted) {
    this.config = redacted;
  }

  public void put(String key, Object value) {
    extra.put(key, value);
  }

  public synchronized Stage stage(String name) {
    Stage s = new Stage(name);
    stages.add(s);
    return s;
  }

  public List<Stage> stages() {
    return stages;
  }

  public void finish(String status, String error) {
    this.status = status;
    this.error = error;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("command", command);
    m.put("status", status);
    if (error != null) {
      m.put("error", error);
    }
    m.put("started", started.toString());
    m.put("finished", Instant.now().toString());
    m.put("seconds", round((System.currentTimeMillis() - started.toEpochMilli()) / 1000.0));
    m.putAll(extra);
    List<Map<String, Object>> st = new ArrayList<>();
    for (Stage s : stages) {
      st.add(s.toMap());
    }
    m.put("stages", st);
    m.put("config", config);
    return m;
  }

  /** A new run's manifest for {@code command}, with its configuration (secrets masked) and where that came from. */
  public static RunManifest forCommand(String command, org.learningregions.config.AppConfig config) {
    RunManifest manifest = new RunManifest(newRunId(), command);
    manifest.config(config.redactedForManifest());
    manifest.put("config_source", config.source());
    return manifest;
  }

  /**
   * Writes the manifest beside the lakehouse, logging where; a failure to write is logged, not thrown, because it
   * must not replace the run's own outcome (this runs in a finally block).
   */
  public void writeOrWarn(String lakehouseRoot, Configuration hadoop) {
    try {
      LOG.info("run manifest: {}", write(lakehouseRoot, hadoop));
    } catch (Exception e) {
      LOG.warn("could not write the run manifest: {}", e.getMessage());
    }
  }

  /** Writes the manifest beside the lakehouse and returns its location. */
  public String write(String lakehouseRoot, Configuration hadoop) throws IOException {
    Path path = new Path(Lakehouse.absolute(lakehouseRoot) + "/_runs/" + runId + ".json");
    FileSystem fs = path.getFileSystem(hadoop);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try (OutputStream out = fs.create(path, true)) {
      mapper.writeValue(out, toMap());
    }
    return path.toString();
  }

  static double round(double seconds) {
    return Math.round(seconds * 1000.0) / 1000.0;
  }

  /** One stage of a run. */
  public static final class Stage {
    private final String name;
    private final long startNanos = System.nanoTime();
    private double seconds = -1;
    private final Map<String, Object> counts = new LinkedHashMap<>();
    private final List<WriteOutcome> writes = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String status = "ran";

    Stage(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    public synchronized Stage count(String key, Object value) {
      counts.put(key, value);
      return this;
    }

    public Map<String, Object> counts() {
      return counts;
    }

    public synchronized Stage wrote(WriteOutcome outcome) {
      writes.add(outcome);
      return this;
    }

    public List<WriteOutcome> writes() {
      return writes;
    }

    /** "ran" or "unchanged" (the stage found its outputs current and did no work). */
    public synchronized Stage status(String value) {
      status = value;
      return this;
    }

    public String status() {
      return status;
    }

    public synchronized Stage note(String note) {
      notes.add(note);
      return this;
    }

    public synchronized List<String> notes() {
      return List.copyOf(notes);
    }

    public void done() {
      if (seconds < 0) {
        seconds = (System.nanoTime() - startNanos) / 1e9;
      }
    }

    public double seconds() {
      return seconds;
    }

    synchronized Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", name);
      m.put("status", status);
      m.put("seconds", round(seconds));
      m.put("counts", counts);
      List<Map<String, Object>> w = new ArrayList<>();
      for (WriteOutcome o : writes) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("table", o.table().toString());
        x.put("version_before", o.versionBefore());
        x.put("version_after", o.versionAfter());
        x.put("rows_written", o.rowsWritten());
        if (o.rowsInTable() >= 0) {
          x.put("rows_in_table", o.rowsInTable());
        }
        x.put("changed", o.changed());
        w.add(x);
      }
      m.put("tables", w);
      if (!notes.isEmpty()) {
        m.put("notes", notes);
      }
      return m;
    }
  }
}
