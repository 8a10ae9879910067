package org.learningregions.lake;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * meta.ingested_files: one row per source file name with the identity of its current content (SHA-256 and parse
 * fingerprint) and what ingesting it wrote. Ingest looks a file up here before reading any of its rows: a file whose
 * identity is recorded is skipped. The table holds one row per source, so it stays small whatever the data's size.
 */
public final class FileRegistry {
  public static final StructType SCHEMA = new StructType()
      .add("source_file", DataTypes.StringType, false)
      .add("path", DataTypes.StringType)
      .add("sha256", DataTypes.StringType)
      .add("bytes", DataTypes.LongType)
      .add("modified_ms", DataTypes.LongType)
      .add("dataset", DataTypes.StringType)
      .add("format", DataTypes.StringType)
      .add("charset", DataTypes.StringType)
      .add("parse_fingerprint", DataTypes.StringType)
      .add("target", DataTypes.StringType)
      .add("rows_read", DataTypes.LongType)
      .add("rows_accepted", DataTypes.LongType)
      .add("rows_quarantined", DataTypes.LongType)
      .add("bronze_version", DataTypes.LongType)
      .add("silver_version", DataTypes.LongType)
      .add("quarantine_version", DataTypes.LongType)
      .add("run_id", DataTypes.StringType)
      .add("ingested_at", DataTypes.StringType);

  private final Lakehouse lake;

  public FileRegistry(Lakehouse lake) {
    this.lake = lake;
  }

  /** Every recorded source by file name (empty for a new lakehouse); read without Spark. */
  public Map<String, IngestedFile> load() {
    Map<String, IngestedFile> out = new LinkedHashMap<>();
    for (Map<String, Object> r : lake.readSmall(Tables.INGESTED_FILES)) {
      IngestedFile f = new IngestedFile((String) r.get("source_file"), (String) r.get("path"),
          (String) r.get("sha256"), num(r, "bytes"), num(r, "modified_ms"), (String) r.get("dataset"),
          (String) r.get("format"), (String) r.get("charset"), (String) r.get("parse_fingerprint"),
          (String) r.get("target"), num(r, "rows_read"), num(r, "rows_accepted"), num(r, "rows_quarantined"),
          num(r, "bronze_version"), num(r, "silver_version"), num(r, "quarantine_version"), (String) r.get("run_id"),
          (String) r.get("ingested_at"));
      out.put(f.sourceFile(), f);
    }
    return out;
  }

  private static long num(Map<String, Object> r, String column) {
    Object v = r.get(column);
    return v instanceof Number n ? n.longValue() : -1;
  }

  /** Records (or replaces) the rows of these sources, in one commit. */
  public WriteOutcome record(List<IngestedFile> files, TableWriter writer) {
    List<Row> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (IngestedFile f : files) {
      names.add(f.sourceFile());
      rows.add(RowFactory.create(f.sourceFile(), f.path(), f.sha256(), f.bytes(), f.modifiedMs(), f.dataset(),
          f.format(), f.charset(), f.parseFingerprint(), f.target(), f.rowsRead(), f.rowsAccepted(),
          f.rowsQuarantined(), f.bronzeVersion(), f.silverVersion(), f.quarantineVersion(), f.runId(),
          f.ingestedAt()));
    }
    Dataset<Row> data = lake.spark().createDataFrame(rows, SCHEMA);
    return writer.replaceWhere(Tables.INGESTED_FILES, data, inList("source_file", names));
  }

  /** Forgets these sources (their rows were removed from the layers). */
  public WriteOutcome forget(List<String> sourceFiles, TableWriter writer) {
    Dataset<Row> none = lake.spark().createDataFrame(List.of(), SCHEMA).filter(col("source_file").isNull());
    return writer.replaceWhere(Tables.INGESTED_FILES, none, inList("source_file", sourceFiles));
  }

  static String inList(String column, List<String> values) {
    StringBuilder sb = new StringBuilder(column).append(" IN (");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(TableWriter.sqlString(values.get(i)));
    }
    return sb.append(')').toString();
  }
}
