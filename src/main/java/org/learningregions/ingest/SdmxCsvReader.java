package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.validate.Observations;

/**
 * Long-format statistical CSV in three shapes, all read into {@link org.learningregions.validate.Observations}:
 * <ul>
 *   <li>OECD Data Explorer SDMX-CSV with labels: STRUCTURE, STRUCTURE_ID, ..., each code column followed by its label
 *       column, OBS_VALUE, OBS_STATUS (SDMX status codes);</li>
 *   <li>Eurostat SDMX-CSV bulk files: DATAFLOW, LAST UPDATE, lower-case dimension columns, TIME_PERIOD, OBS_VALUE,
 *       OBS_FLAG and, in files after 27 January 2025, CONF_STATUS;</li>
 *   <li>OECD.Stat CSV exports (before the Data Explorer; often Latin-1): code/label pairs such as REG_ID/Region,
 *       TIME/Year, "Unit Code"/Unit, then Value, "Flag Codes", Flags.</li>
 * </ul>
 * Label columns (mixed case) are dropped; every remaining code column is a dimension, under its lower-case name.
 */
public final class SdmxCsvReader {
  private SdmxCsvReader() {}

  private static final Set<String> METADATA = Set.of("structure", "structure_id", "structure_name", "action",
      "dataflow", "last update", "time_period", "obs_value", "obs_status", "obs_flag", "conf_status", "decimals",
      "obs_conf", "time", "value", "flag codes");
  private static final List<String> AREA_COLUMNS = List.of("ref_area", "geo", "reg_id", "location", "cou", "region");
  /** OECD.Stat code columns named "<Label> Code", and their dimension names. */
  private static final Map<String, String> OECD_STAT_CODES = Map.of("unit code", "unit", "powercode code",
      "unit_mult", "reference period code", "reference_period");

  /** Where each part of an observation sits in the header, and the file's flag conventions. */
  record Layout(int fields, int time, int value, int area, Integer status, Integer conf, Map<String, Integer> dims,
      String agency, String flagScheme) {}

  /** File-level check of the header: the columns every observation needs. */
  public static void checkHeader(InputFile file) {
    layout(file);
  }

  static Layout layout(InputFile file) {
    List<String> header = CsvHeader.split(file.header());
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i).replace("\uFEFF", "").trim();
      String lower = h.toLowerCase(Locale.ROOT);
      boolean label = !h.equals(h.toUpperCase(Locale.ROOT)) && !h.equals(lower);
      if (OECD_STAT_CODES.containsKey(lower)) {
        codes.putIfAbsent(OECD_STAT_CODES.get(lower), i);
      } else if (!label && codes.containsKey(lower)) {
        // A code column twice: which value is the dimension's is undecidable. Label columns beside the codes are
        // never read, so they may repeat.
        throw new InputFileException(file.path(), FileProblem.DUPLICATE_COLUMN, lower);
      } else if (!label || METADATA.contains(lower)) {
        codes.putIfAbsent(lower, i);
      }
    }
    Integer time = codes.containsKey("time_period") ? codes.get("time_period") : codes.get("time");
    Integer value = codes.containsKey("obs_value") ? codes.get("obs_value") : codes.get("value");
    String areaName = AREA_COLUMNS.stream().filter(codes::containsKey).findFirst().orElse(null);
    if (time == null || value == null || areaName == null) {
      throw new InputFileException(file.path(), FileProblem.MISSING_COLUMN,
          time == null ? "TIME_PERIOD" : value == null ? "OBS_VALUE" : "REF_AREA or geo");
    }
    boolean oecd = file.format() == SourceFormat.OECD_STAT_CSV || codes.containsKey("obs_status")
        || codes.containsKey("structure");
    Integer status = codes.containsKey("obs_status") ? codes.get("obs_status")
        : codes.containsKey("obs_flag") ? codes.get("obs_flag") : codes.get("flag codes");
    Map<String, Integer> dims = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : codes.entrySet()) {
      String name = e.getKey();
      if (METADATA.contains(name) || name.equals(areaName)) {
        continue;
      }
      dims.put(name.equals("unit_measure") ? "unit" : name, e.getValue());
    }
    return new Layout(header.size(), time, value, codes.get(areaName), status, codes.get("conf_status"),
        Map.copyOf(dims), oecd ? "OECD" : "ESTAT", oecd ? "sdmx" : "eurostat");
  }

  public static Dataset<Row> read(Dataset<Row> lines, InputFile file) {
    Layout l = layout(file);
    List<Column> dimPairs = new ArrayList<>();
    l.dims().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      dimPairs.add(lit(e.getKey()));
      dimPairs.add(trim(col("f.c" + e.getValue())));
    });
    Dataset<Row> parsed = CsvRecords.dataLines(lines).transform(r -> CsvRecords.withFields(r, l.fields()));
    Column status = l.status() == null ? lit("") : trim(col("f.c" + l.status()));
    Column conf = l.conf() == null ? lit(null).cast("string") : trim(col("f.c" + l.conf()));
    Column value = trim(col("f.c" + l.value()));
    Dataset<Row> withDims = parsed.withColumn("dims",
        dimPairs.isEmpty() ? map() : map(dimPairs.toArray(new Column[0])));
    Column[] dimColumns = Observations.dimensionColumns("dims");
    return withDims.select(
        col("source_file"), col("source_sha256"), col("source_dataset"), lit(file.format().name()).as("source_format"),
        lit(l.agency()).as("source_agency"),
        col("line_no"),
        trim(col("f.c" + l.time())).as("column_ref"),
        col("dims"), dimColumns[0], dimColumns[1], dimColumns[2], dimColumns[3],
        trim(col("f.c" + l.area())).as("geo"),
        trim(col("f.c" + l.time())).as("year_raw"),
        when(value.isNull().or(value.equalTo("")).or(value.equalTo("NaN")), lit(":")).otherwise(value).as("value_raw"),
        concat_ws("", status, conf).as("flag"),
        status.as("status_raw"), conf.as("conf_raw"), lit(l.flagScheme()).as("flag_scheme"),
        col("structural_error"));
  }

  /**
   * The region codes of observations {@link #read} gave (source_file, source_dataset, geo, line_key, observations),
   * one row per observation. Its line key is a hash of the key columns beside the region (unit, sex, age, other
   * dimensions, time), which makes the key's repeats visible per region code (see
   * {@link org.learningregions.validate.ObservationValidator#codesByFile}); null when the time is not a year written
   * plainly (two spellings of one year would hash apart).
   */
  public static Dataset<Row> codes(Dataset<Row> observations) {
    return observations.select(col("source_file"), col("source_dataset"), col("geo"),
        when(col("year_raw").rlike("^[1-9][0-9]{0,8}$"),
            xxhash64(col("unit"), col("sex"), col("age"), col("other_dims"), col("year_raw"))).as("line_key"),
        lit(1L).as("observations"));
  }
}
