package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Survey microdata from a Parquet file into the same string columns {@link CsvRecords} gives for CSV, so one
 * validator serves both. A record's "line" is its 1-based row number in the file and its raw form is the row as
 * JSON, kept in bronze and quarantine like a CSV line.
 */
public final class ParquetRecords {
  private ParquetRecords() {}

  /** Fails with a one-line error naming the file when a required column is absent from its schema. */
  public static void checkRequired(SparkSession spark, InputFile file, List<String> required,
      UnaryOperator<String> sourceName) {
    CsvRecords.requireColumns(file, Arrays.asList(spark.read().parquet(file.path()).columns()), required, sourceName);
  }

  /** Rows in the file, from its footer (no data read). */
  public static long rows(SparkSession spark, InputFile file) {
    return spark.read().parquet(file.path()).count();
  }

  /** Numbered rows with the columns of {@link NumberedLines}: the row number as line number, the row as JSON. */
  public static Dataset<Row> lines(SparkSession spark, InputFile file) {
    Dataset<Row> data = spark.read().parquet(file.path());
    Column[] all = Arrays.stream(data.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    JavaRDD<Row> numbered = data.select(to_json(struct(all)).as("raw")).javaRDD().zipWithIndex()
        .map(t -> RowFactory.create(t._2() + 1, t._1().getString(0)));
    StructType schema = new StructType().add("line_no", DataTypes.LongType, false).add("raw", DataTypes.StringType);
    return spark.createDataFrame(numbered, schema).select(lit(file.fileName()).as("source_file"),
        lit(file.sha256()).as("source_sha256"), lit(file.dataset()).as("source_dataset"),
        lit(file.format().name()).as("source_format"), col("line_no"), col("raw"));
  }

  /** The silver columns as strings, read back from each row's JSON so that line numbers and values stay paired. */
  public static Dataset<Row> read(Dataset<Row> lines, SparkSession spark, InputFile file, List<String> columns,
      UnaryOperator<String> sourceName) {
    StructType source = spark.read().parquet(file.path()).schema();
    StructType asStrings = new StructType();
    for (String name : source.fieldNames()) {
      asStrings = asStrings.add(name, DataTypes.StringType);
    }
    List<String> names = Arrays.asList(source.fieldNames());
    List<Column> out = new ArrayList<>(List.of(col("source_file"), col("source_sha256"), col("source_dataset"),
        col("line_no"), col("raw"), lit(null).cast("string").as("structural_error")));
    for (String c : columns) {
      String s = sourceName.apply(c);
      out.add(names.contains(s) ? col("r.`" + s + "`").as(c) : lit(null).cast("string").as(c));
    }
    return lines.withColumn("r", org.apache.spark.sql.functions.from_json(col("raw"), asStrings))
        .select(out.toArray(new Column[0]));
  }
}
