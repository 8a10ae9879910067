package org.learningregions.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.lake.IngestedFile;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.StageContext;
import org.learningregions.validate.RegistryValidator;
import org.learningregions.validate.Validated;

/** Learning-city registry CSV into silver.learning_city_registry. */
final class RegistryBatch extends IngestBatch {
  static final List<String> COLUMNS = List.of("city", "country", "region_code", "year_joined", "source");
  static final List<String> REQUIRED = COLUMNS.subList(0, 4);

  RegistryBatch(StageContext ctx, IngestSettings settings, List<InputFile> files,
      Map<String, IngestedFile> registry) {
    super(ctx, settings, files, registry);
  }

  @Override
  TableId bronze(InputFile file) {
    return Tables.BRONZE_REGISTRY;
  }

  @Override
  TableId silver() {
    return Tables.LEARNING_CITY_REGISTRY;
  }

  @Override
  TableId quarantine() {
    return Tables.Q_LEARNING_CITY_REGISTRY;
  }

  @Override
  List<String> key() {
    return RegistryValidator.KEY;
  }

  @Override
  List<String> compared() {
    return RegistryValidator.COMPARED;
  }

  @Override
  Dataset<Row> lines(InputFile file) {
    return NumberedLines.read(ctx.spark(), file);
  }

  @Override
  Dataset<Row> records(Map<InputFile, Dataset<Row>> lines) {
    List<Dataset<Row>> parts = new ArrayList<>();
    lines.forEach((f, l) -> parts.add(CsvRecords.read(l, f, COLUMNS, c -> c, REQUIRED)));
    return union(parts);
  }

  @Override
  Validated validate(Dataset<Row> records, Dataset<Row> allLines) {
    return new RegistryValidator(settings.minYear(), settings.maxYear()).validate(ctx.spark(), records, ctx.runId());
  }

  @Override
  boolean sameTarget(IngestedFile recorded) {
    return SourceFormat.valueOf(recorded.format()) == SourceFormat.REGISTRY_CSV;
  }
}
