package org.learningregions.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;
import org.learningregions.RunContext;
import org.learningregions.lake.Concurrently;
import org.learningregions.lake.LakeSnapshot;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.Tables;

/**
 * The {@code report} stage: reads the gold tables and writes {@code <reports>/<run id>/} with summary.html (one
 * self-contained file), summary.pdf (the same first page, charts and main tables), tables.xlsx (one typed sheet per
 * table and a codebook sheet), csv/*.csv and codebook.md. Only aggregates leave the lakehouse: no person-level rows,
 * and survey cells below the reliability threshold carry neither a value nor a count.
 */
public final class ReportStage {
  /** Rows of a table printed in the PDF; the rest are in tables.xlsx and csv/. */
  private static final int PDF_TABLE_ROWS = 60;
  private static final List<String> PDF_TABLES = List.of("model_coefficients", "region_profiles",
      "learning_city_comparison", "sources");

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportStage.class);

  private final RunContext ctx;

  public ReportStage(RunContext ctx) {
    this.ctx = ctx;
  }

  /** Writes the report of the lakehouse's latest state into {@code <reports>/<this run's id>/}. */
  public Path run() {
    return run(null);
  }

  /**
   * Writes the report of the lakehouse as run {@code asOfRun} left it (every table at the Delta version that run's
   * manifests record; null: the latest state) and returns its directory, {@code <reports>/<that run id>/}.
   */
  public Path run(String asOfRun) {
    RunManifest.Stage stage = ctx.manifest().stage("report");
    LakeSnapshot lake = asOfRun == null ? LakeSnapshot.latest(ctx.lake()) : LakeSnapshot.afterRun(ctx.lake(), asOfRun);
    stage.count("as_of_run", asOfRun == null ? "latest" : asOfRun);
    Path dir = Paths.get(ctx.config().reportsDir(), asOfRun == null ? ctx.runId() : asOfRun).toAbsolutePath()
        .normalize();
    try {
      Files.createDirectories(dir.resolve("csv"));
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot write report to " + dir + ": " + e.getMessage(), e);
    }
    String headlineModel = ctx.config().string("models.headline-model");
    String headlineTerm = ctx.config().string("models.headline-term");
    int peerGroups = ctx.config().integer("report.peer-groups");
    long t0 = System.nanoTime();
    ReportData data = new ReportReader(lake, peerGroups).read();
    long t1 = System.nanoTime();
    List<ReportTable> tables = ReportTables.of(data);
    List<ReportFigures.Figure> figures = ReportFigures.of(data, headlineTerm);
    LOG.info("report data read in {} ms, tables and charts built in {} ms", (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000);
    SummaryHtml.Settings settings = new SummaryHtml.Settings(ctx.runId(), headlineModel, headlineTerm,
        ctx.config().integer("aggregate.reliability.limit-a"), ctx.config().integer("aggregate.reliability.limit-b"),
        peerGroups);

    // The formats are independent: written concurrently (the Spark exports run as their own jobs).
    List<Runnable> writers = new ArrayList<>();
    writers.add(timed("summary.html", () -> write(dir.resolve("summary.html"),
        new SummaryHtml(settings).render(data, tables, figures))));
    writers.add(timed("summary.pdf", () -> SummaryPdf.write(pdfContent(data, tables, figures, headlineModel,
        headlineTerm), dir.resolve("summary.pdf"))));
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
    stage.done();
    return dir;
  }

  private SummaryPdf.Content pdfContent(ReportData data, List<ReportTable> tables, List<ReportFigures.Figure> figures,
      String headlineModel, String headlineTerm) {
    List<SummaryPdf.Paragraph> paragraphs = new ArrayList<>();
    for (ReportText.Paragraph p : ReportText.firstPage(data, ReportText.headline(data, headlineModel, headlineTerm),
        headlineModel, headlineTerm)) {
      paragraphs.add(new SummaryPdf.Paragraph(p.text(), p.emphasis()));
    }
    List<SummaryPdf.Figure> images = new ArrayList<>();
    for (ReportFigures.Figure f : figures) {
      images.add(new SummaryPdf.Figure(f.title(), ReportCharts.image(f.chart(), ReportFigures.WIDTH,
          ReportFigures.HEIGHT, 2.0), f.caption()));
    }
    List<ReportTable> printed = tables.stream().filter(t -> PDF_TABLES.contains(t.name())).toList();
    return new SummaryPdf.Content(ReportText.QUESTION, "Report of run " + ctx.runId() + "; analysis panel Delta "
        + "version " + data.panelVersion(), paragraphs, images, printed, PDF_TABLE_ROWS,
        "learning-regions report " + ctx.runId());
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
    AtomicFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void export(RunManifest.Stage stage, Dataset<Row> table, Path dir, String name) {
    try {
      stage.count(name, CsvExport.write(table, dir.resolve(name)));
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
    }
  }
}
