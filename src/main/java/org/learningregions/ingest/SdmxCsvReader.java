package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.learningregions.LearningRegionsException;

/**
 * SDMX-CSV in its two common shapes: the OECD Data Explorer export with labels (STRUCTURE, STRUCTURE_ID, ..., each
 * code column followed by its label column, OBS_STATUS) and Eurostat's SDMX-CSV bulk format (DATAFLOW, LAST UPDATE,
 * lower-case dimension columns, OBS_FLAG and, after 27 January 2025, CONF_STATUS). Label columns are dropped;
 * every remaining code column is a dimension.
 */
public final class SdmxCsvReader {
  private SdmxCsvReader() {}

  private static final Set<String> METADATA = Set.of("structure", "structure_id", "structure_name", "action",
      "dataflow", "last update", "time_period", "obs_value", "obs_status", "obs_flag", "conf_status", "unit_mult",
      "decimals", "obs_conf");

  /** File-level check of the header: the columns every observation needs. */
  public static void checkHeader(InputFile file) {
    columnIndex(file);
  }

  private static Map<String, Integer> columnIndex(InputFile file) {
    List<String> header = CsvHeader.split(file.header());
    Map<String, Integer> index = new java.util.LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i);
      boolean label = !h.equals(h.toUpperCase(Locale.ROOT)) && !h.equals(h.toLowerCase(Locale.ROOT));
      if (!label || METADATA.contains(h.toLowerCase(Locale.ROOT))) {
        index.putIfAbsent(h.toLowerCase(Locale.ROOT), i);
      }
    }
    if (!index.containsKey("time_period") || !index.containsKey("obs_value")
        || !(index.containsKey("ref_area") || index.containsKey("geo"))) {
      throw LearningRegionsException.failure(file.path() + ": missing required column "
          + (!index.containsKey("time_period") ? "TIME_PERIOD" : !index.containsKey("obs_value") ? "OBS_VALUE"
              : "REF_AREA or geo"));
    }
    return index;
  }

  public static Dataset<Row> read(Dataset<Row> lines, InputFile file) {
    List<String> header = CsvHeader.split(file.header());
    int n = header.size();
    Map<String, Integer> index = columnIndex(file);
    Integer time = index.get("time_period");
    Integer value = index.get("obs_value");
    Integer area = index.containsKey("ref_area") ? index.get("ref_area") : index.get("geo");
    Integer status = index.containsKey("obs_status") ? index.get("obs_status") : index.get("obs_flag");
    Integer conf = index.get("conf_status");
    List<Column> dimPairs = new ArrayList<>();
    for (Map.Entry<String, Integer> e : index.entrySet()) {
      String name = e.getKey();
      if (METADATA.contains(name) || name.equals("ref_area") || name.equals("geo")) {
        continue;
      }
      String dim = switch (name) {
        case "unit_measure" -> "unit";
        default -> name;
      };
      dimPairs.add(lit(dim));
      dimPairs.add(trim(col("f.c" + e.getValue())));
    }
    StructType schema = StructType.fromDDL(CsvHeader.stringSchema(n));
    // Quoted commas do not count: fields are counted after removing quoted sections.
    Column fieldCount = size(split(regexp_replace(col("raw"), "\"([^\"]|\"\")*\"", "x"), ","));
    Dataset<Row> parsed = lines.filter(col("line_no").gt(1).and(trim(col("raw")).notEqual("")))
        .withColumn("f", from_csv(col("raw"), lit(schema.toDDL()), Map.of("mode", "PERMISSIVE")))
        .withColumn("structural_error", when(fieldCount.notEqual(n), lit("wrong_field_count:fields")));
    Column flag = status == null ? lit("") : trim(col("f.c" + status));
    if (conf != null) {
      flag = concat_ws("", flag, trim(col("f.c" + conf)));
    }
    return parsed.select(
        col("source_file"), col("source_sha256"), col("source_dataset"), lit(SourceFormat.SDMX_CSV.name()).as("source_format"),
        col("line_no"), col("raw"),
        trim(col("f.c" + time)).as("column_ref"),
        dimPairs.isEmpty() ? map().as("dims") : map(dimPairs.toArray(new Column[0])).as("dims"),
        trim(col("f.c" + area)).as("geo"),
        trim(col("f.c" + time)).as("year_raw"),
        when(trim(col("f.c" + value)).equalTo(""), lit(":")).otherwise(trim(col("f.c" + value))).as("value_raw"),
        when(flag.isNull(), lit("")).otherwise(flag).as("flag"),
        col("structural_error"));
  }
}
