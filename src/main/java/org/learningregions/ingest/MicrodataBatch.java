package org.learningregions.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.lake.IngestedFile;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.StageContext;
import org.learningregions.validate.MicrodataValidator;
import org.learningregions.validate.Validated;

/** Survey microdata (CSV or Parquet, one respondent per row) into silver.learning_participation. */
final class MicrodataBatch extends IngestBatch {
  /** Columns every microdata file must have (under their mapped names). */
  static final List<String> REQUIRED = List.of("year", "respondent_id", "region_code", "age", "sex", "formal",
      "non_formal", "weight");

  /**
   * The key's fields of every record, read apart from the records (only three fields of each line, and without the
   * count of records read, which would keep every column): the duplicate rule's first pass reads these.
   */
  private Dataset<Row> keys;

  MicrodataBatch(StageContext ctx, IngestSettings settings, List<InputFile> files,
      Map<String, IngestedFile> registry) {
    super(ctx, settings, files, registry);
  }

  @Override
  TableId bronze(InputFile file) {
    return Tables.BRONZE_MICRODATA;
  }

  @Override
  TableId silver() {
    return Tables.LEARNING_PARTICIPATION;
  }

  @Override
  TableId quarantine() {
    return Tables.Q_LEARNING_PARTICIPATION;
  }

  @Override
  List<String> key() {
    return MicrodataValidator.KEY;
  }

  @Override
  List<String> compared() {
    return MicrodataValidator.COMPARED;
  }

  @Override
  Dataset<Row> lines(InputFile file) {
    return file.format() == SourceFormat.MICRODATA_PARQUET ? ParquetRecords.lines(ctx.spark(), file)
        : NumberedLines.read(ctx.spark(), file);
  }

  @Override
  Dataset<Row> records(Map<InputFile, Dataset<Row>> lines) {
    MicrodataColumns columns = settings.microdataColumns();
    List<Dataset<Row>> parts = new ArrayList<>();
    List<Dataset<Row>> keyParts = new ArrayList<>();
    lines.forEach((f, l) -> {
      boolean parquet = f.format() == SourceFormat.MICRODATA_PARQUET;
      parts.add(withSurvey(parquet ? ParquetRecords.read(l, ctx.spark(), f, MicrodataColumns.SILVER, columns::source)
          : CsvRecords.read(l, f, MicrodataColumns.SILVER, columns::source, REQUIRED)));
      keyParts.add(parquet ? parts.get(parts.size() - 1).select("source_file", MicrodataValidator.KEY.toArray(
          new String[0])) : withSurvey(CsvRecords.readColumns(l, f, MicrodataValidator.KEY, columns::source)));
    });
    keys = union(keyParts);
    return union(parts);
  }

  private Dataset<Row> withSurvey(Dataset<Row> records) {
    return records.withColumn("survey", coalesce(col("survey"), lit(settings.defaultSurvey())));
  }

  @Override
  Validated validate(Dataset<Row> records, Dataset<Row> allLines) {
    return new MicrodataValidator(settings.minYear(), settings.maxYear())
        .validate(ctx.spark(), records, keys, ctx.runId());
  }

  @Override
  boolean sameTarget(IngestedFile recorded) {
    return SourceFormat.valueOf(recorded.format()).isMicrodata();
  }
}
