package org.learningregions.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;
import org.learningregions.lake.LakeSnapshot;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.StageState;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;
import org.learningregions.util.AtomicFiles;
import org.learningregions.util.Concurrently;

/**
 * The {@code report} stage: reads the gold tables and writes {@code <reports>/<run id>/} with summary.html (one
 * self-contained file), summary.pdf (the same page printed from the same template), tables.xlsx (one typed sheet per
 * table and a codebook sheet), csv/*.csv and codebook.md. Only aggregates leave the lakehouse: no person-level rows,
 * and survey cells below the reliability threshold carry neither a value nor a count.
 */
public final class ReportStage implements Stage {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportStage.class);

  /** The tables a report reads. */
  static final List<TableId> INPUTS = List.of(Tables.ANALYSIS_PANEL, Tables.PANEL_COVERAGE, Tables.LEARNING_RATES,
      Tables.LEARNING_RATE_COMPARISON, Tables.MODEL_RUNS, Tables.MODEL_COEFFICIENTS, Tables.REGIONAL_INDICATOR,
      Tables.Q_REGIONAL_INDICATOR, Tables.LEARNING_CITY_REGISTRY, Tables.LEARNING_INDEX,
      Tables.LEARNING_INDEX_SENSITIVITY);
  /** The name of the report directory among a stage state's outputs. */
  public static final String REPORT_DIR = "report_dir";

  private final ReportSettings settings;
  private final String asOfRun;

  /**
   * @param asOfRun report the lakehouse as this run left it (every table at the Delta version that run's manifests
   *     record), or null for the latest state
   */
  public ReportStage(ReportSettings settings, String asOfRun) {
    this.settings = settings;
    this.asOfRun = asOfRun;
  }

  @Override
  public String name() {
    return "report";
  }

  @Override
  public List<TableId> inputs() {
    return INPUTS;
  }

  @Override
  public List<TableId> outputs() {
    return List.of();
  }

  @Override
  public Object settings() {
    return settings;
  }

  /** A report of an earlier run's state is written on request, whatever was written before. */
  @Override
  public boolean skipsWhenUnchanged() {
    return asOfRun == null;
  }

  /** The report directory recorded is still there. */
  @Override
  public boolean outputsCurrent(StageContext ctx, StageState state) {
    String dir = state.outputs().get(REPORT_DIR);
    return dir != null && Files.isRegularFile(Paths.get(dir, "summary.html"));
  }

  /**
   * Writes the report into {@code <reports>/<run id>/} (this run's id, or the id of the run it reports as of) with
   * summary.html, summary.pdf, tables.xlsx, csv/ and codebook.md; its directory is the output {@link #REPORT_DIR}.
   */
  @Override
  public StageResult run(StageContext ctx) {
    RunManifest.Stage stage = ctx.entry();
    LakeSnapshot lake = asOfRun == null ? LakeSnapshot.latest(ctx.lake()) : LakeSnapshot.afterRun(ctx.lake(), asOfRun);
    stage.count("as_of_run", asOfRun == null ? "latest" : asOfRun);
    Path dir = Paths.get(settings.reportsDir(), asOfRun == null ? ctx.runId() : asOfRun).toAbsolutePath()
        .normalize();
    try {
      Files.createDirectories(dir.resolve("csv"));
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot write report to " + dir + ": " + e.getMessage(), e);
    }
    String headlineModel = settings.headlineModel();
    String headlineTerm = settings.headlineTerm();
    int peerGroups = settings.peerGroups();
    String runId = ctx.runId();
    long t0 = System.nanoTime();
    ReportData data = new ReportReader(lake, peerGroups, headlineModel).read();
    long t1 = System.nanoTime();
    Labels labels = settings.labels().withModels(data.runs());
    List<ReportTable> tables = ReportTables.of(data, labels);
    ReportFigures.Geography geography = settings.mapRegions().isBlank() ? null
        : ReportFigures.Geography.load(settings.mapRegions(), settings.mapCountries());
    List<ReportFigures.Figure> figures = ReportFigures.of(data, headlineTerm, geography, labels);
    Map<String, String> locators = geography == null ? Map.of() : LocatorMap.all(geography, data);
    LOG.info("report data read in {} ms, tables and charts built in {} ms", (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000);
    SummaryContext.Settings page = new SummaryContext.Settings(runId, headlineModel, headlineTerm, settings.limitA(),
        settings.limitB(), peerGroups, settings.inference(), labels, settings.indexRegions(), settings.published());
    String html = SummaryDocument.html(SummaryContext.of(page, data, tables, figures, locators));

    // The formats are independent: written concurrently (the Spark exports run as their own jobs).
    List<Runnable> writers = new ArrayList<>();
    writers.add(timed("summary.html", () -> write(dir.resolve("summary.html"), html)));
    writers.add(timed("summary.pdf", () -> SummaryDocument.pdf(html, dir.resolve("summary.pdf"))));
    writers.add(timed("tables.xlsx", () -> XlsxExport.write(ReportTables.forWorkbook(tables),
        dir.resolve("tables.xlsx"))));
    writers.add(timed("csv", () -> {
      for (ReportTable t : tables) {
        stage.count("csv/" + t.name() + ".csv", TableCsv.write(t, dir.resolve("csv/" + t.name() + ".csv")));
      }
      TableCsv.write(Codebook.of(tables), dir.resolve("csv/codebook.csv"));
      write(dir.resolve("codebook.md"), Codebook.markdown(tables));
      // Kept at the top level for scripts written against earlier reports.
      TableCsv.write(tables.get(0), dir.resolve("model_coefficients.csv"));
    }));
    if (lake.exists(Tables.LEARNING_RATE_COMPARISON)) {
      Dataset<Row> cmp = lake.read(Tables.LEARNING_RATE_COMPARISON);
      writers.add(timed("csv/learning_rate_comparison.csv", () -> export(stage, cmp.withColumn("n",
          when(col("reliability").equalTo(ReportTable.SUPPRESSED), lit(null)).otherwise(col("n")))
          .orderBy("survey", "region_code", "year", "sex"), dir, "csv/learning_rate_comparison.csv")));
    }
    long started = System.nanoTime();
    Concurrently.run(writers);
    LOG.info("report formats written in {} s", String.format(java.util.Locale.ROOT, "%.1f",
        (System.nanoTime() - started) / 1e9));
    stage.count("report_dir", dir.toString());
    stage.count("formats", List.of("summary.html", "summary.pdf", "tables.xlsx", "csv", "codebook.md"));
    return StageResult.done(Map.of(REPORT_DIR, dir.toString()));
  }

  /** Logs each writer's time: the formats differ by an order of magnitude, and a slow one should be visible. */
  private static Runnable timed(String name, Runnable writer) {
    return () -> {
      long t0 = System.nanoTime();
      writer.run();
      LOG.info("{} written in {} ms", name, (System.nanoTime() - t0) / 1_000_000);
    };
  }

  private static void write(Path file, String text) {
    AtomicFiles.writeString(file, text);
  }

  private static void export(RunManifest.Stage stage, Dataset<Row> table, Path dir, String name) {
    stage.count(name, CsvExport.write(table, dir.resolve(name)));
  }
}
