package org.learningregions.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.learningregions.lake.IngestedFile;
import org.learningregions.lake.ObservedMetrics;
import org.learningregions.lake.TableId;
import org.learningregions.lake.TableWriter;
import org.learningregions.lake.WriteOutcome;
import org.learningregions.stage.StageContext;
import org.learningregions.util.Concurrently;
import org.learningregions.validate.CrossFileDuplicates;
import org.learningregions.validate.ObservationValidator;
import org.learningregions.validate.Validated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one kind (statistics, microdata, registry) that a run ingests, written the same way for every kind:
 * their raw lines to bronze, their validated rows to silver and their rejected rows to quarantine, each one Delta
 * commit that replaces exactly these files' partitions ({@code source_file}), so a revised file's old rows go in the
 * same commit as its new ones. Rows read and accepted are counted while they are written; quarantine is computed
 * only when some file has rows that were read but not accepted.
 */
abstract class IngestBatch {
  private static final Logger LOG = LoggerFactory.getLogger(IngestBatch.class);

  protected final StageContext ctx;
  protected final IngestSettings settings;
  protected final List<InputFile> files;
  /** meta.ingested_files as the run found it. */
  protected final Map<String, IngestedFile> registry;

  IngestBatch(StageContext ctx, IngestSettings settings, List<InputFile> files, Map<String, IngestedFile> registry) {
    this.ctx = ctx;
    this.settings = settings;
    this.files = List.copyOf(files);
    this.registry = registry;
  }

  abstract TableId bronze(InputFile file);

  abstract TableId silver();

  abstract TableId quarantine();

  /** The silver key, for the duplicate rule across files. */
  abstract List<String> key();

  /** Columns whose equality makes a repeated key an identical repeat. */
  abstract List<String> compared();

  /** Numbered lines of one file (columns of {@link NumberedLines}). */
  abstract Dataset<Row> lines(InputFile file);

  /** Records parsed from the files' lines, one per record read (the unit of rows_read), with source_file. */
  abstract Dataset<Row> records(Map<InputFile, Dataset<Row>> lines);

  /** Accepted and quarantined rows of the records. */
  abstract Validated validate(Dataset<Row> records, Dataset<Row> allLines);

  /**
   * Whether the batch counts the records of each file in its own pass over the lines ({@link #rowsRead}); if not
   * (the default), they are counted while the records are validated and written.
   */
  boolean countsRowsRead() {
    return false;
  }

  /** Records read per source file, when {@link #countsRowsRead}: known once {@link #validate} has run. */
  Map<String, Long> rowsRead() {
    throw new UnsupportedOperationException("rows read are counted while the records are written");
  }

  /** Rows of the source an accepted row stands for (merged regions stand for several). */
  Column acceptedWeight() {
    return lit(1L);
  }

  /** Whether a recorded file belongs to this batch's silver table (for the duplicate rule across files). */
  abstract boolean sameTarget(IngestedFile recorded);

  List<FileOutcome> run() {
    List<String> names = files.stream().map(InputFile::fileName).toList();
    Map<InputFile, Dataset<Row>> lines = new LinkedHashMap<>();
    for (InputFile f : files) {
      lines.put(f, lines(f));
    }
    TableWriter writer = ctx.writer();
    // Bronze and the validated tables are written at the same time: each commit replaces only these files' rows and
    // meta.ingested_files is recorded after both, so a run killed in between redoes the files whatever got committed.
    // Overlapped, one side's commit latency hides behind the other's work (a small file's ingest, 2026-12-03).
    Map<TableId, Long> bronzeVersions = new LinkedHashMap<>();
    List<FileOutcome> written = new ArrayList<>();
    Concurrently.run(List.of(() -> bronzeVersions.putAll(writeBronze(lines, writer)),
        () -> written.addAll(writeValidated(lines, names, writer))));
    List<FileOutcome> out = new ArrayList<>();
    for (FileOutcome o : written) {
      out.add(o.withBronzeVersion(bronzeVersions.get(bronze(o.file()))));
    }
    return out;
  }

  /** Silver and quarantine of the files, with the files' counts; bronze versions are filled in by the caller. */
  private List<FileOutcome> writeValidated(Map<InputFile, Dataset<Row>> lines, List<String> names,
      TableWriter writer) {
    Observation read = new Observation("rows_read");
    Dataset<Row> records = records(lines);
    // The metric is in the plan only when the batch does not count its records itself: an observation that no
    // action computes would never be filled.
    Dataset<Row> allLines = union(new ArrayList<>(lines.values()));
    Validated validated = validate(countsRowsRead() ? records : observe(records, read, perFile(names, lit(1L))),
        allLines);
    try {
      Validated v = withoutKeysHeldElsewhere(validated, names, allLines);
      Observation accepted = new Observation("rows_accepted");
      WriteOutcome silver = writer.replacePartitions(silver(), observe(v.accepted(), accepted,
          perFile(names, acceptedWeight())), "source_file", names);
      ctx.entry().wrote(silver);
      Map<String, Object> readCounts = countsRowsRead() ? byIndex(names, rowsRead()) : ObservedMetrics.of(read);
      Map<String, Object> acceptedCounts = ObservedMetrics.of(accepted);

      List<String> rejecting = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        if (count(readCounts, i) != count(acceptedCounts, i)) {
          rejecting.add(names.get(i));
        }
      }
      Map<String, Object> quarantinedCounts = Map.of();
      WriteOutcome q = null;
      if (!rejecting.isEmpty()) {
        Observation quarantined = new Observation("rows_quarantined");
        q = writer.replacePartitions(quarantine(), observe(v.quarantined(), quarantined, perFile(names, lit(1L))),
            "source_file", names);
        quarantinedCounts = ObservedMetrics.of(quarantined);
      } else if (!ctx.lake().exists(quarantine())) {
        // Nothing rejected: the table is still created, so that every documented table exists after ingest.
        q = writer.replacePartitions(quarantine(), v.quarantined().limit(0), "source_file", names);
      } else {
        // Nothing rejected now: only earlier versions of these files may have rows in quarantine to remove.
        List<String> stale = names.stream().filter(n -> registry.containsKey(n)
            && registry.get(n).rowsQuarantined() > 0).toList();
        if (!stale.isEmpty()) {
          q = writer.replacePartitions(quarantine(), v.quarantined().limit(0), "source_file", stale);
        }
      }
      if (q != null) {
        ctx.entry().wrote(q);
      }
      List<FileOutcome> out = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        InputFile f = files.get(i);
        long qn = rejecting.isEmpty() ? 0 : count(quarantinedCounts, i);
        out.add(new FileOutcome(f, silver(), count(readCounts, i), count(acceptedCounts, i), qn, -1,
            silver.versionAfter(), q == null ? -1 : q.versionAfter()));
        LOG.info("{}: {} rows read, {} accepted, {} quarantined", f.fileName(), count(readCounts, i),
            count(acceptedCounts, i), qn);
      }
      return out;
    } finally {
      validated.release().run();
    }
  }

  /** Raw lines of every file into its bronze table: one commit per bronze table. */
  private Map<TableId, Long> writeBronze(Map<InputFile, Dataset<Row>> lines, TableWriter writer) {
    Map<TableId, List<InputFile>> byTable = new LinkedHashMap<>();
    for (InputFile f : files) {
      byTable.computeIfAbsent(bronze(f), t -> new ArrayList<>()).add(f);
    }
    Map<TableId, Long> versions = new LinkedHashMap<>();
    for (Map.Entry<TableId, List<InputFile>> e : byTable.entrySet()) {
      List<Dataset<Row>> parts = new ArrayList<>();
      for (InputFile f : e.getValue()) {
        parts.add(lines.get(f).select(col("source_file"), col("source_sha256"), col("source_dataset"),
            col("source_format"), col("line_no"), col("raw"), lit(ctx.runId()).as("ingest_run_id")));
      }
      WriteOutcome w = writer.replacePartitions(e.getKey(), union(parts), "source_file",
          e.getValue().stream().map(InputFile::fileName).toList());
      ctx.entry().wrote(w);
      versions.put(e.getKey(), w.versionAfter());
    }
    return versions;
  }

  /**
   * Applies the duplicate rule across files when silver holds rows of other files of the same kind; a new
   * lakehouse, or a kind with one file, costs nothing here.
   */
  private Validated withoutKeysHeldElsewhere(Validated v, List<String> names, Dataset<Row> allLines) {
    List<String> others = registry.values().stream()
        .filter(r -> sameTarget(r) && !names.contains(r.sourceFile()))
        .map(IngestedFile::sourceFile).toList();
    if (others.isEmpty() || !ctx.lake().exists(silver())) {
      return v;
    }
    Dataset<Row> held = ctx.lake().read(silver()).filter(col("source_file").isin(others.toArray()));
    for (String k : key()) {
      if (!Arrays.asList(held.columns()).contains(k)) {
        // A table written before the column existed (source_vintage): its rows sit at the top of their input.
        held = held.withColumn(k, k.equals("source_vintage")
            ? ObservationValidator.vintage(col("source_file")) : lit(null));
      }
    }
    return CrossFileDuplicates.apply(v, held, key(), compared(), allLines, ctx.runId());
  }

  /** One aggregate per file: the sum of {@code weight} over its rows (0 when it has none). */
  private static Column[] perFile(List<String> names, Column weight) {
    Column[] out = new Column[names.size()];
    for (int i = 0; i < names.size(); i++) {
      out[i] = coalesce(sum(when(col("source_file").equalTo(names.get(i)), weight).otherwise(0L)), lit(0L))
          .cast("long").as("f" + i);
    }
    return out;
  }

  /** Counts by file name as the metrics of {@link #perFile} name them. */
  private static Map<String, Object> byIndex(List<String> names, Map<String, Long> byName) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      out.put("f" + i, byName.getOrDefault(names.get(i), 0L));
    }
    return out;
  }

  private static Dataset<Row> observe(Dataset<Row> data, Observation observation, Column[] metrics) {
    return data.observe(observation, metrics[0], java.util.Arrays.copyOfRange(metrics, 1, metrics.length));
  }

  private static long count(Map<String, Object> metrics, int i) {
    return metrics.isEmpty() ? -1 : ObservedMetrics.count(metrics, "f" + i);
  }

  static Dataset<Row> union(List<Dataset<Row>> parts) {
    Dataset<Row> out = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      out = out.unionByName(parts.get(i));
    }
    return out;
  }
}
