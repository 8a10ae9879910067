package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;
import org.learningregions.RunContext;
import org.learningregions.lake.Concurrently;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.validate.IndicatorMapping;
import org.learningregions.validate.MicrodataValidator;
import org.learningregions.validate.NutsCorrespondence;
import org.learningregions.validate.NutsHarmoniser;
import org.learningregions.validate.ObservationValidator;
import org.learningregions.validate.Quarantine;
import org.learningregions.validate.RegistryValidator;
import org.learningregions.validate.Validated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ingest} stage: detects each file's format, keeps its raw lines in bronze with provenance, validates
 * them into silver and quarantine, and reconciles counts per file (read = accepted + quarantined). A file with a
 * file-level problem is skipped whole, named in a one-line error, and the stage fails after the other files are in.
 */
public final class IngestStage {
  private static final Logger LOG = LoggerFactory.getLogger(IngestStage.class);
  private static final List<String> BRONZE_KEY = List.of("source_sha256", "line_no");
  private static final List<String> MICRODATA_REQUIRED = List.of("year", "respondent_id", "region_code", "age", "sex",
      "formal", "non_formal", "weight");
  private static final List<String> REGISTRY_COLUMNS = List.of("city", "country", "region_code", "year_joined", "source");

  private final RunContext ctx;

  public IngestStage(RunContext ctx) {
    this.ctx = ctx;
  }

  /** Ingests the given files and directories (a directory contributes every file whose format is recognised). */
  public void run(List<String> locations, String datasetOverride) {
    RunManifest.Stage stage = ctx.manifest().stage("ingest");
    Configuration hadoop = ctx.spark().sparkContext().hadoopConfiguration();
    MicrodataColumns microColumns = MicrodataColumns.from(ctx.config().section("microdata.columns"));
    List<InputFile> files = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String location : locations) {
      for (Candidate c : expand(location, hadoop)) {
        try {
          InputFile f = FileSniffer.sniff(c.path(), datasetOverride, microColumns, hadoop);
          checkHeader(f, microColumns);
          files.add(f);
        } catch (LearningRegionsException e) {
          if (c.fromDirectory() && e.getMessage().contains("unknown header layout")) {
            stage.note("ignored " + c.path() + ": not a recognised input format");
            LOG.info("ignoring {}: not a recognised input format", c.path());
          } else {
            errors.add(e.getMessage());
            LOG.error("{}", e.getMessage());
          }
        }
      }
    }
    if (files.isEmpty() && errors.isEmpty()) {
      throw LearningRegionsException.failure("no input files found in " + locations);
    }
    List<Map<String, Object>> fileRecords = new ArrayList<>();
    Map<String, Map<String, Object>> byName = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    for (InputFile f : files) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", f.path());
      m.put("format", f.format().name());
      m.put("dataset", f.dataset());
      m.put("sha256", f.sha256());
      m.put("charset", f.charset());
      m.put("bytes", f.bytes());
      fileRecords.add(m);
      byName.put(f.fileName(), m);
    }
    IndicatorMapping mapping = IndicatorMapping.from(ctx.config());
    int minYear = ctx.config().integer("validate.min-year");
    int maxYear = ctx.config().integer("validate.max-year");

    boolean ignoreUnmapped = ctx.config().raw().getBoolean("inputs.ignore-unmapped");
    List<InputFile> indicatorFiles = files.stream()
        .filter(f -> f.format().isStatistical())
        .filter(f -> {
          if (ignoreUnmapped && !mapping.isMapped(f.dataset())) {
            String msg = "ignored " + f.path() + ": dataset " + f.dataset() + " is not used by this configuration "
                + "(no mapping in datasets.*, inputs.ignore-unmapped = true)";
            LOG.info(msg);
            stage.note(msg);
            fileRecords.remove(byName.remove(f.fileName()));
            return false;
          }
          return true;
        }).toList();
    for (InputFile f : indicatorFiles) {
      if (!mapping.isMapped(f.dataset())) {
        String msg = "dataset " + f.dataset() + " (" + f.fileName() + ") has no mapping in datasets.*: its indicator "
            + "is named after the dataset code";
        LOG.warn(msg);
        stage.note(msg);
      }
    }
    // The three kinds of source write disjoint tables: run them as concurrent Spark jobs. Small inputs are bound by
    // per-commit latency, not by cores, so this roughly halves the stage's wall time.
    List<Runnable> tasks = List.of(
        () -> ingestIndicators(indicatorFiles, mapping, minYear, maxYear, stage, byName),
        () -> ingestMicrodata(files.stream().filter(f -> f.format().isMicrodata()).toList(),
            microColumns, minYear, maxYear, stage, byName),
        () -> ingestRegistry(files.stream().filter(f -> f.format() == SourceFormat.REGISTRY_CSV).toList(), minYear,
            maxYear, stage, byName));
    Concurrently.run(tasks);
    stage.count("files", fileRecords);
    if (!errors.isEmpty()) {
      stage.count("file_errors", errors);
      stage.done();
      throw LearningRegionsException.failure(errors.size() == 1 ? errors.get(0)
          : errors.size() + " files failed; first: " + errors.get(0));
    }
    stage.done();
  }

  private void ingestIndicators(List<InputFile> files, IndicatorMapping mapping, int minYear, int maxYear,
      RunManifest.Stage stage, Map<String, Map<String, Object>> byName) {
    if (files.isEmpty()) {
      return;
    }
    Dataset<Row> bronzeTsv = null;
    Dataset<Row> bronzeSdmx = null;
    Dataset<Row> observations = null;
    Dataset<Row> allLines = null;
    for (InputFile f : files) {
      Dataset<Row> lines = TextLines.read(ctx.spark(), f);
      allLines = allLines == null ? lines : allLines.unionByName(lines);
      Dataset<Row> obs = f.format() == SourceFormat.EUROSTAT_TSV ? EurostatTsvReader.read(lines, f) : SdmxCsvReader.read(lines, f);
      observations = observations == null ? obs : observations.unionByName(obs);
      Dataset<Row> bronze = bronzeRows(lines, f);
      if (f.format() == SourceFormat.EUROSTAT_TSV) {
        bronzeTsv = bronzeTsv == null ? bronze : bronzeTsv.unionByName(bronze);
      } else {
        bronzeSdmx = bronzeSdmx == null ? bronze : bronzeSdmx.unionByName(bronze);
      }
    }
    if (bronzeTsv != null) {
      stage.wrote(ctx.lake().upsert(Tables.BRONZE_EUROSTAT, bronzeTsv, BRONZE_KEY, List.of()));
    }
    if (bronzeSdmx != null) {
      stage.wrote(ctx.lake().upsert(Tables.BRONZE_SDMX, bronzeSdmx, BRONZE_KEY, List.of()));
    }
    // The observations are parsed twice (once here for per-file counts and codes, once in validation) rather than
    // cached: a profile of ten million cells spent over half its CPU time building Spark's columnar caches.
    Dataset<Row> fileCodes = ObservationValidator.codesByFile(observations).localCheckpoint();
    NutsHarmoniser nuts = new NutsHarmoniser(NutsCorrespondence.to(ctx.config().integer("nuts.target-version"),
        ctx.config().number("nuts.sliver-share")));
    Validated validated = new ObservationValidator(mapping, nuts, minYear, maxYear).validate(ctx.spark(),
        observations, fileCodes, allLines, ctx.runId());
    // Accepted rows are not checkpointed: they are a filter over the validator's cache, cheaper to read twice (count,
    // write) than to copy once (about 30 s of 200 for ten million cells). Quarantined rows join raw lines back, so
    // they are computed once.
    Validated v = new Validated(validated.accepted(), validated.quarantined().localCheckpoint());
    try {
      reconcile(fileCodes.groupBy("source_file").agg(sum(col("rows"))), v, stage, byName, Tables.REGIONAL_INDICATOR);
      stage.wrote(ctx.lake().upsert(Tables.REGIONAL_INDICATOR, v.accepted(), ObservationValidator.KEY,
          ObservationValidator.COMPARED));
      stage.wrote(ctx.lake().upsert(Tables.Q_REGIONAL_INDICATOR, v.quarantined(), Quarantine.KEY, List.of("detail")));
    } finally {
      validated.release().run();
    }
  }

  private void ingestMicrodata(List<InputFile> files, MicrodataColumns columns, int minYear, int maxYear,
      RunManifest.Stage stage, Map<String, Map<String, Object>> byName) {
    if (files.isEmpty()) {
      return;
    }
    Dataset<Row> bronze = null;
    Dataset<Row> records = null;
    String defaultSurvey = ctx.config().string("microdata.survey");
    for (InputFile f : files) {
      Dataset<Row> lines = f.format() == SourceFormat.MICRODATA_PARQUET ? ParquetRecords.lines(ctx.spark(), f)
          : TextLines.read(ctx.spark(), f);
      Dataset<Row> r = (f.format() == SourceFormat.MICRODATA_PARQUET
          ? ParquetRecords.read(lines, ctx.spark(), f, MicrodataColumns.SILVER, columns::source)
          : CsvRecords.read(lines, f, MicrodataColumns.SILVER, columns::source, MICRODATA_REQUIRED))
          .withColumn("survey", org.apache.spark.sql.functions.coalesce(col("survey"), lit(defaultSurvey)));
      records = records == null ? r : records.unionByName(r);
      Dataset<Row> b = bronzeRows(lines, f);
      bronze = bronze == null ? b : bronze.unionByName(b);
    }
    stage.wrote(ctx.lake().upsert(Tables.BRONZE_MICRODATA, bronze, BRONZE_KEY, List.of()));
    records = records.persist();
    Validated v;
    try {
      // Both halves are checkpointed and the counts taken before the cache is released.
      v = materialise(new MicrodataValidator(minYear, maxYear).validate(ctx.spark(), records, ctx.runId()));
      reconcile(rowsPerFile(records), v, stage, byName, Tables.LEARNING_PARTICIPATION);
    } finally {
      records.unpersist();
    }
    stage.wrote(ctx.lake().upsert(Tables.LEARNING_PARTICIPATION, v.accepted(), MicrodataValidator.KEY,
        MicrodataValidator.COMPARED));
    stage.wrote(ctx.lake().upsert(Tables.Q_LEARNING_PARTICIPATION, v.quarantined(), Quarantine.KEY, List.of("detail")));
  }

  private void ingestRegistry(List<InputFile> files, int minYear, int maxYear, RunManifest.Stage stage,
      Map<String, Map<String, Object>> byName) {
    if (files.isEmpty()) {
      return;
    }
    Dataset<Row> bronze = null;
    Dataset<Row> records = null;
    for (InputFile f : files) {
      Dataset<Row> lines = TextLines.read(ctx.spark(), f);
      Dataset<Row> r = CsvRecords.read(lines, f, REGISTRY_COLUMNS, c -> c, REGISTRY_COLUMNS.subList(0, 4));
      records = records == null ? r : records.unionByName(r);
      Dataset<Row> b = bronzeRows(lines, f);
      bronze = bronze == null ? b : bronze.unionByName(b);
    }
    stage.wrote(ctx.lake().upsert(Tables.BRONZE_REGISTRY, bronze, BRONZE_KEY, List.of()));
    Validated v = materialise(new RegistryValidator(minYear, maxYear).validate(ctx.spark(), records, ctx.runId()));
    reconcile(rowsPerFile(records), v, stage, byName, Tables.LEARNING_CITY_REGISTRY);
    stage.wrote(ctx.lake().upsert(Tables.LEARNING_CITY_REGISTRY, v.accepted(), RegistryValidator.KEY,
        RegistryValidator.COMPARED));
    stage.wrote(ctx.lake().upsert(Tables.Q_LEARNING_CITY_REGISTRY, v.quarantined(), Quarantine.KEY, List.of("detail")));
  }

  /** File-level header checks, before anything of the file is read or written. */
  private void checkHeader(InputFile f, MicrodataColumns microColumns) {
    switch (f.format()) {
      case EUROSTAT_TSV -> EurostatTsvReader.parseHeader(f);
      case SDMX_CSV, OECD_STAT_CSV -> SdmxCsvReader.checkHeader(f);
      case MICRODATA_PARQUET -> ParquetRecords.checkRequired(ctx.spark(), f, MICRODATA_REQUIRED, microColumns::source);
      case MICRODATA_CSV -> CsvRecords.checkRequired(f, MICRODATA_REQUIRED, microColumns::source);
      case REGISTRY_CSV -> CsvRecords.checkRequired(f, REGISTRY_COLUMNS.subList(0, 4), c -> c);
      default -> { }
    }
  }

  /** Computes validation once: counts and writes then read the materialised halves. */
  private static Validated materialise(Validated v) {
    Validated out = new Validated(v.accepted().localCheckpoint(), v.quarantined().localCheckpoint());
    v.release().run();
    return out;
  }

  private static Dataset<Row> rowsPerFile(Dataset<Row> records) {
    return records.groupBy("source_file").agg(count(lit(1)));
  }

  /**
   * Records, per file, rows read, accepted and quarantined, and fails if they do not add up.
   *
   * @param read rows read per file (source_file, count)
   */
  private static void reconcile(Dataset<Row> read, Validated v, RunManifest.Stage stage,
      Map<String, Map<String, Object>> byName, TableId target) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (Row r : read.collectAsList()) {
      counts.computeIfAbsent(r.getString(0), k -> new long[3])[0] = r.getLong(1);
    }
    for (Row r : ObservationValidator.countsByFile(v.accepted(), v.quarantined()).collectAsList()) {
      long[] c = counts.computeIfAbsent(r.getString(0), k -> new long[3]);
      c[1] = r.getLong(1);
      c[2] = r.getLong(2);
    }
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      long[] c = e.getValue();
      Map<String, Object> m = byName.computeIfAbsent(e.getKey(), k -> java.util.Collections.synchronizedMap(
          new LinkedHashMap<>()));
      m.put("target", target.toString());
      m.put("rows_read", c[0]);
      m.put("rows_accepted", c[1]);
      m.put("rows_quarantined", c[2]);
      m.put("reconciled", c[0] == c[1] + c[2]);
      if (c[0] != c[1] + c[2]) {
        throw LearningRegionsException.failure(e.getKey() + ": rows read (" + c[0] + ") != accepted (" + c[1]
            + ") + quarantined (" + c[2] + ")");
      }
      LOG.info("{}: {} rows read, {} accepted, {} quarantined", e.getKey(), c[0], c[1], c[2]);
    }
  }

  private Dataset<Row> bronzeRows(Dataset<Row> lines, InputFile f) {
    return lines.select(col("source_file"), col("source_sha256"), col("source_dataset"),
        lit(f.format().name()).as("source_format"), col("line_no"), col("raw"), lit(ctx.runId()).as("ingest_run_id"));
  }

  record Candidate(String path, boolean fromDirectory) {}

  static List<Candidate> expand(String location, Configuration hadoop) {
    try {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        throw LearningRegionsException.failure(location + ": file not found");
      }
      if (!fs.getFileStatus(p).isDirectory()) {
        return List.of(new Candidate(p.toString(), false));
      }
      FileStatus[] st = fs.listStatus(p);
      Arrays.sort(st, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
      List<Candidate> out = new ArrayList<>();
      for (FileStatus s : st) {
        String name = s.getPath().getName();
        if (s.isFile() && !name.startsWith(".") && !name.startsWith("_") && !name.endsWith(".json")
            && !name.endsWith(".md")) {
          out.add(new Candidate(s.getPath().toString(), true));
        }
      }
      return out;
    } catch (IOException e) {
      throw LearningRegionsException.failure(location + ": cannot list (" + e.getMessage() + ")", e);
    }
  }
}
