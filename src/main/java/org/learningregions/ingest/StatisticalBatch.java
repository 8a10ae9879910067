package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.lake.IngestedFile;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.StageContext;
import org.learningregions.validate.NutsCorrespondence;
import org.learningregions.validate.NutsHarmoniser;
import org.learningregions.validate.ObservationValidator;
import org.learningregions.validate.Validated;

/** Published statistics (Eurostat TSV, SDMX-CSV, OECD.Stat CSV) into silver.regional_indicator. */
final class StatisticalBatch extends IngestBatch {
  private final Set<String> datasets;
  /**
   * source_file, source_dataset, geo, line_key and observations of every line (a TSV line's codes stand for its
   * cells), set by {@link #records}.
   */
  private Dataset<Row> regionCodes;
  /** Observations per file, set by {@link #validate}. */
  private Map<String, Long> rowsRead;

  StatisticalBatch(StageContext ctx, IngestSettings settings, List<InputFile> files,
      Map<String, IngestedFile> registry) {
    super(ctx, settings, files, registry);
    this.datasets = files.stream().map(InputFile::dataset).collect(Collectors.toSet());
  }

  @Override
  TableId bronze(InputFile file) {
    return file.format() == SourceFormat.EUROSTAT_TSV ? Tables.BRONZE_EUROSTAT : Tables.BRONZE_SDMX;
  }

  @Override
  TableId silver() {
    return Tables.REGIONAL_INDICATOR;
  }

  @Override
  TableId quarantine() {
    return Tables.Q_REGIONAL_INDICATOR;
  }

  @Override
  List<String> key() {
    return ObservationValidator.KEY;
  }

  @Override
  List<String> compared() {
    return List.of("value", "flag");
  }

  @Override
  Dataset<Row> lines(InputFile file) {
    return NumberedLines.read(ctx.spark(), file);
  }

  @Override
  Dataset<Row> records(Map<InputFile, Dataset<Row>> lines) {
    List<Dataset<Row>> parts = new ArrayList<>();
    List<Dataset<Row>> codes = new ArrayList<>();
    lines.forEach((f, l) -> {
      boolean tsv = f.format() == SourceFormat.EUROSTAT_TSV;
      parts.add(tsv ? EurostatTsvReader.read(l, f) : SdmxCsvReader.read(l, f));
      // A bulk TSV's codes are read from its lines, without exploding their yearly cells.
      codes.add(tsv ? EurostatTsvReader.codes(l, f) : SdmxCsvReader.codes(parts.get(parts.size() - 1)));
    });
    regionCodes = union(codes);
    return union(parts);
  }

  @Override
  Validated validate(Dataset<Row> observations, Dataset<Row> allLines) {
    // The region codes of each file, in one aggregation: the NUTS version of each file is voted from them.
    Dataset<Row> fileCodes = ObservationValidator.codesByFile(regionCodes).localCheckpoint();
    rowsRead = new HashMap<>();
    fileCodes.groupBy("source_file").agg(sum("rows")).collectAsList()
        .forEach(r -> rowsRead.put(r.getString(0), r.getLong(1)));
    NutsHarmoniser nuts = new NutsHarmoniser(NutsCorrespondence.to(settings.nutsTarget(), settings.sliverShare()));
    return new ObservationValidator(settings.mapping(), nuts, settings.minYear(), settings.maxYear())
        .validate(ctx.spark(), observations, fileCodes, allLines, ctx.runId());
  }

  /**
   * Observations read per file, counted from the files' lines by the aggregation that votes their NUTS versions (a
   * bulk TSV line holds one per year): counting them at the cells would carry every line's dimensions through each
   * cell's row.
   */
  @Override
  boolean countsRowsRead() {
    return true;
  }

  @Override
  Map<String, Long> rowsRead() {
    return rowsRead;
  }

  @Override
  Column acceptedWeight() {
    return col("source_rows").cast("long");
  }

  @Override
  boolean sameTarget(IngestedFile recorded) {
    return SourceFormat.valueOf(recorded.format()).isStatistical() && datasets.contains(recorded.dataset());
  }
}
