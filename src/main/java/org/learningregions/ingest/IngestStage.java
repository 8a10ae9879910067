package org.learningregions.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.learningregions.LearningRegionsException;
import org.learningregions.lake.FileRegistry;
import org.learningregions.lake.IngestedFile;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;
import org.learningregions.util.Concurrently;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ingest} stage: files in, by file. Each file's identity is its SHA-256 with the settings that decide how
 * it is parsed; a file whose identity meta.ingested_files already records is skipped without reading its rows
 * ({@link InputPlan}). New and revised files are read once into bronze (raw lines with provenance), validated into
 * silver and quarantine, and reconciled (read = accepted + quarantined), each layer in one commit that replaces
 * exactly their rows; then meta.ingested_files records them. A file with a file-level problem is refused whole,
 * named in a one-line error, and the stage fails after the other files are in.
 */
public final class IngestStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger(IngestStage.class);
  static final List<TableId> OUTPUTS = List.of(Tables.BRONZE_EUROSTAT, Tables.BRONZE_SDMX, Tables.BRONZE_MICRODATA,
      Tables.BRONZE_REGISTRY, Tables.REGIONAL_INDICATOR, Tables.LEARNING_PARTICIPATION,
      Tables.LEARNING_CITY_REGISTRY, Tables.Q_REGIONAL_INDICATOR, Tables.Q_LEARNING_PARTICIPATION,
      Tables.Q_LEARNING_CITY_REGISTRY, Tables.INGESTED_FILES);

  private final IngestSettings settings;
  private final List<String> locations;
  private final String datasetOverride;
  private final boolean force;

  /**
   * @param locations files and directories (a directory contributes every file whose format is recognised)
   * @param datasetOverride dataset code for every file, or null (from each file's name or content)
   * @param force re-ingest files even when their identity is recorded
   */
  public IngestStage(IngestSettings settings, List<String> locations, String datasetOverride, boolean force) {
    this.settings = settings;
    this.locations = List.copyOf(locations);
    this.datasetOverride = datasetOverride;
    this.force = force;
  }

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public List<TableId> inputs() {
    return List.of();
  }

  @Override
  public List<TableId> outputs() {
    return OUTPUTS;
  }

  @Override
  public Object settings() {
    return settings;
  }

  @Override
  public boolean skipsWhenUnchanged() {
    return false;
  }

  @Override
  public StageResult run(StageContext ctx) {
    FileRegistry registryTable = new FileRegistry(ctx.lake());
    Map<String, IngestedFile> registry = registryTable.load();
    InputPlan plan = InputPlan.make(locations, datasetOverride, force, settings, registry, ctx.lake().hadoop(),
        ctx::spark);
    plan.notes.forEach(n -> {
      LOG.info("{}", n);
      ctx.entry().note(n);
    });
    plan.errors.forEach(e -> LOG.error("{}", e.getMessage()));
    if (plan.ingest.isEmpty() && plan.skipped.isEmpty() && plan.errors.isEmpty()) {
      throw LearningRegionsException.failure("no input files found in " + locations);
    }
    for (InputPlan.Planned p : plan.ingest) {
      if (p.file().format().isStatistical() && !settings.mapping().isMapped(p.file().dataset())) {
        String msg = "dataset " + p.file().dataset() + " (" + p.file().fileName() + ") has no mapping in "
            + "datasets.*: its indicator is named after the dataset code";
        LOG.warn(msg);
        ctx.entry().note(msg);
      }
    }
    // The three kinds of source write disjoint tables: run them as concurrent Spark jobs. Small inputs are bound by
    // per-commit latency, not by cores.
    List<FileOutcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Runnable> batches = new ArrayList<>();
    addBatch(batches, outcomes, plan, f -> f.format().isStatistical(),
        files -> new StatisticalBatch(ctx, settings, files, registry));
    addBatch(batches, outcomes, plan, f -> f.format().isMicrodata(),
        files -> new MicrodataBatch(ctx, settings, files, registry));
    addBatch(batches, outcomes, plan, f -> f.format() == SourceFormat.REGISTRY_CSV,
        files -> new RegistryBatch(ctx, settings, files, registry));
    RuntimeException failed = null;
    try {
      ctx.expressions().run(ctx::spark, ctx.entry(),
          () -> plan.ingest.stream().mapToLong(p -> p.file().bytes()).sum(), () -> {
            Concurrently.run(batches);
            return null;
          });
    } catch (RuntimeException e) {
      // The kinds that finished are recorded below all the same, so a rerun redoes only the failed kind.
      failed = e;
    }

    List<String> unreconciled = new ArrayList<>();
    List<IngestedFile> records = new ArrayList<>(plan.touched);
    List<Map<String, Object>> manifestFiles = new ArrayList<>();
    long parsed = 0;
    long microdataParsed = 0;
    for (FileOutcome o : outcomes) {
      InputFile f = o.file();
      parsed += Math.max(0, o.rowsRead());
      if (f.format().isMicrodata()) {
        microdataParsed += Math.max(0, o.rowsRead());
      }
      if (!o.reconciled()) {
        unreconciled.add(f.fileName() + ": rows read (" + o.rowsRead() + ") != accepted (" + o.rowsAccepted()
            + ") + quarantined (" + o.rowsQuarantined() + ")");
        continue;
      }
      records.add(new IngestedFile(f.fileName(), f.path(), f.sha256(), f.bytes(), f.modifiedMs(), f.dataset(),
          f.format().name(), f.charset(), settings.parseFingerprint(f.format(), f.dataset()), o.target().toString(),
          o.rowsRead(), o.rowsAccepted(), o.rowsQuarantined(), o.bronzeVersion(), o.silverVersion(),
          o.quarantineVersion(), ctx.runId(), Instant.now().toString()));
      manifestFiles.add(describe(o, plan));
    }
    for (InputPlan.Skipped s : plan.skipped) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", s.path());
      m.put("status", "skipped");
      m.put("why", s.why());
      manifestFiles.add(m);
    }
    if (!records.isEmpty()) {
      ctx.entry().wrote(registryTable.record(records, ctx.writer()));
    }
    ctx.entry().count("files", manifestFiles);
    ctx.entry().count("files_ingested", outcomes.size());
    ctx.entry().count("files_skipped", plan.skipped.size());
    ctx.entry().count("rows_parsed", parsed);
    ctx.entry().count("microdata_rows_parsed", microdataParsed);
    if (failed != null) {
      throw failed;
    }
    if (outcomes.isEmpty() && plan.errors.isEmpty()) {
      ctx.entry().status("unchanged");
    }
    List<String> errors = new ArrayList<>(unreconciled);
    plan.errors.forEach(e -> errors.add(e.getMessage()));
    if (!errors.isEmpty()) {
      ctx.entry().count("file_errors", errors);
      throw LearningRegionsException.failure(errors.size() == 1 ? errors.get(0)
          : errors.size() + " files failed; first: " + errors.get(0));
    }
    return StageResult.DONE;
  }

  private static void addBatch(List<Runnable> batches, List<FileOutcome> outcomes, InputPlan plan,
      Predicate<InputFile> kind, java.util.function.Function<List<InputFile>, IngestBatch> batch) {
    List<InputFile> files = plan.ingest.stream().map(InputPlan.Planned::file).filter(kind).toList();
    if (!files.isEmpty()) {
      batches.add(() -> outcomes.addAll(batch.apply(files).run()));
    }
  }

  private static Map<String, Object> describe(FileOutcome o, InputPlan plan) {
    InputFile f = o.file();
    boolean revised = plan.ingest.stream().anyMatch(p -> p.file() == f && p.previous() != null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", f.path());
    m.put("status", revised ? "revised" : "new");
    m.put("format", f.format().name());
    m.put("dataset", f.dataset());
    m.put("sha256", f.sha256());
    m.put("charset", f.charset());
    m.put("bytes", f.bytes());
    m.put("target", o.target().toString());
    m.put("rows_read", o.rowsRead());
    m.put("rows_accepted", o.rowsAccepted());
    m.put("rows_quarantined", o.rowsQuarantined());
    m.put("reconciled", o.reconciled());
    return m;
  }
}
