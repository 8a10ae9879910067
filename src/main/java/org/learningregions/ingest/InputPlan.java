package org.learningregions.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.learningregions.lake.IngestedFile;

/**
 * Decides, before any row is read, what happens to each input file: skipped as unchanged (its path, size and time,
 * or else its SHA-256 and parse settings, are those meta.ingested_files records for its name), skipped because
 * another recorded source has the same content, ingested as new, or ingested as a revision that replaces its
 * earlier rows; or refused with a one-line {@link InputFileException}.
 */
final class InputPlan {
  /** A file to ingest; {@code previous} is the recorded version it revises, or null. */
  record Planned(InputFile file, IngestedFile previous) {}

  /** A file left alone, and why. */
  record Skipped(String path, String sourceFile, String why) {}

  final List<Planned> ingest = new ArrayList<>();
  final List<Skipped> skipped = new ArrayList<>();
  /** Recorded sources whose path or time changed but whose content did not: the record is updated. */
  final List<IngestedFile> touched = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final List<InputFileException> errors = new ArrayList<>();

  private InputPlan() {}

  /**
   * A file to look at: its path, whether a directory scan found it (then an unknown layout is a note, not an error),
   * and its source name (the file name, or its path relative to the directory given).
   */
  record Candidate(String path, boolean fromDirectory, String name) {}

  /**
   * How deep a directory scan descends: deep enough for {@code <input>/<vintage>/<file>} and a sub-folder or two,
   * shallow enough that a symbolic-link loop ends quickly.
   */
  static final int MAX_DEPTH = 4;

  static InputPlan make(List<String> locations, String datasetOverride, boolean force, IngestSettings settings,
      Map<String, IngestedFile> registry, Configuration hadoop, Supplier<SparkSession> spark) {
    InputPlan plan = new InputPlan();
    Map<String, String> identities = new HashMap<>();
    registry.values().forEach(r -> identities.put(r.identity(), r.sourceFile()));
    Map<String, InputFile> seen = new LinkedHashMap<>();
    Map<String, InputFile> seenContent = new HashMap<>();
    for (String location : locations) {
      for (Candidate c : expand(location, hadoop, plan)) {
        try {
          plan.decide(c, datasetOverride, force, settings, registry, identities, seen, seenContent, hadoop, spark);
        } catch (InputFileException e) {
          if (c.fromDirectory() && e.problem() == FileProblem.UNKNOWN_LAYOUT) {
            plan.notes.add("ignored " + c.path() + ": not a recognised input format");
          } else {
            plan.errors.add(e);
          }
        }
      }
    }
    return plan;
  }

  private void decide(Candidate c, String datasetOverride, boolean force, IngestSettings settings,
      Map<String, IngestedFile> registry, Map<String, String> identities, Map<String, InputFile> seen,
      Map<String, InputFile> seenContent, Configuration hadoop, Supplier<SparkSession> spark)
      throws InputFileException {
    Path path = new Path(c.path());
    FileStatus status;
    try {
      status = path.getFileSystem(hadoop).getFileStatus(path);
    } catch (IOException e) {
      throw new InputFileException(c.path(), FileProblem.NOT_FOUND, null);
    }
    String name = c.name();
    IngestedFile previous = registry.get(name);
    if (!force && settings.trustFileTimes() && previous != null && previous.path().equals(c.path())
        && previous.bytes() == status.getLen() && previous.modifiedMs() == status.getModificationTime()
        && previous.parseFingerprint().equals(settings.parseFingerprint(SourceFormat.valueOf(previous.format()),
            datasetOverride != null ? datasetOverride : previous.dataset()))) {
      skipped.add(new Skipped(c.path(), name, "unchanged (same path, size and modification time as recorded)"));
      return;
    }
    InputFile file = FileSniffer.sniff(c.path(), datasetOverride, settings.microdataColumns(), hadoop,
        settings.chunkBytes(), settings.tsvChunkBytes(), settings.limits()).withName(name);
    String identity = file.sha256() + ":" + settings.parseFingerprint(file.format(), file.dataset());
    InputFile earlier = seen.get(name);
    if (earlier != null) {
      if (earlier.sha256().equals(file.sha256())) {
        skipped.add(new Skipped(c.path(), name, "same content as " + earlier.path() + " in this run"));
        return;
      }
      throw new InputFileException(c.path(), FileProblem.CONFLICTING_VERSIONS, "also " + earlier.path()
          + " (rows are keyed by file name: ingest one of them, or rename one)");
    }
    // A .gz copy of a file beside it (Eurostat's bulk facility serves both) is the same data: read it once.
    InputFile sameData = seenContent.get(file.contentSha256());
    if (sameData != null) {
      skipped.add(new Skipped(c.path(), name, "same content as " + sameData.path() + " in this run"));
      return;
    }
    seen.put(name, file);
    seenContent.put(file.contentSha256(), file);
    if (!force && previous != null && previous.identity().equals(identity)) {
      skipped.add(new Skipped(c.path(), name, "unchanged (same SHA-256 and parse settings as recorded)"));
      touched.add(new IngestedFile(name, c.path(), previous.sha256(), file.bytes(), file.modifiedMs(),
          previous.dataset(), previous.format(), previous.charset(), previous.parseFingerprint(), previous.target(),
          previous.rowsRead(), previous.rowsAccepted(), previous.rowsQuarantined(), previous.bronzeVersion(),
          previous.silverVersion(), previous.quarantineVersion(), previous.runId(), previous.ingestedAt()));
      return;
    }
    String holder = identities.get(identity);
    if (!force && holder != null && !holder.equals(name)) {
      skipped.add(new Skipped(c.path(), name, "same content as " + holder + ", already ingested"));
      return;
    }
    if (file.format().isStatistical() && settings.ignoreUnmapped() && !settings.mapping().isMapped(file.dataset())) {
      String why = "dataset " + file.dataset() + " is not used by this configuration (no mapping in datasets.*, "
          + "inputs.ignore-unmapped = true)";
      skipped.add(new Skipped(c.path(), name, why));
      notes.add("ignored " + c.path() + ": " + why);
      return;
    }
    checkHeader(file, settings, spark);
    ingest.add(new Planned(file, previous));
  }

  /** File-level header checks, before anything of the file is read or written. */
  private static void checkHeader(InputFile f, IngestSettings settings, Supplier<SparkSession> spark) {
    if (f.format() == SourceFormat.MICRODATA_PARQUET) {
      ParquetRecords.checkRequired(spark.get(), f, MicrodataBatch.REQUIRED, settings.microdataColumns()::source);
    } else {
      checkHeader(f, settings.microdataColumns());
    }
  }

  /** The header checks of the text formats, which need no Spark (a Parquet file's are done by Spark). */
  static void checkHeader(InputFile f, MicrodataColumns columns) {
    switch (f.format()) {
      case EUROSTAT_TSV -> EurostatTsvReader.parseHeader(f);
      case SDMX_CSV, OECD_STAT_CSV -> SdmxCsvReader.checkHeader(f);
      case MICRODATA_CSV -> CsvRecords.checkRequired(f, MicrodataBatch.REQUIRED, columns::source);
      case REGISTRY_CSV -> CsvRecords.checkRequired(f, RegistryBatch.REQUIRED, c -> c);
      default -> { }
    }
  }

  /**
   * A file, or every file under a directory (sorted; hidden files, folders starting with "_" or ".", manifests and
   * notes left out), down to {@link #MAX_DEPTH} levels; a file in a sub-folder is named by its relative path, so the
   * same file name in two folders (two vintages of one dataset) gives two sources.
   */
  private static List<Candidate> expand(String location, Configuration hadoop, InputPlan plan) {
    try {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        plan.errors.add(new InputFileException(location, FileProblem.NOT_FOUND, null));
        return List.of();
      }
      if (!fs.getFileStatus(p).isDirectory()) {
        Path q = fs.makeQualified(p);
        return List.of(new Candidate(q.toString(), false, q.getName()));
      }
      List<Candidate> out = new ArrayList<>();
      walk(fs, p, "", 1, out, plan);
      return out;
    } catch (IOException e) {
      plan.errors.add(new InputFileException(location, FileProblem.UNREADABLE, "(" + e.getMessage() + ")", e));
      return List.of();
    }
  }

  private static void walk(FileSystem fs, Path dir, String prefix, int depth, List<Candidate> out, InputPlan plan)
      throws IOException {
    FileStatus[] st = fs.listStatus(dir);
    // Files before folders: a folder's own files come first, so a copy in a sub-folder (gz/) is the one skipped.
    Arrays.sort(st, java.util.Comparator.comparing((FileStatus a) -> a.isDirectory())
        .thenComparing(a -> a.getPath().getName()));
    for (FileStatus s : st) {
      String name = s.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (s.isDirectory()) {
        if (depth < MAX_DEPTH) {
          walk(fs, s.getPath(), prefix + name + "/", depth + 1, out, plan);
        } else {
          plan.notes.add("ignored " + fs.makeQualified(s.getPath()) + ": deeper than " + MAX_DEPTH
              + " folders below the input directory");
        }
      } else if (s.isFile() && !name.endsWith(".json") && !name.endsWith(".md")) {
        out.add(new Candidate(fs.makeQualified(s.getPath()).toString(), true, prefix + name));
      }
    }
  }
}
