package org.learningregions.ingest;

import static org.apache.spark.sql.functions.lit;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a text file as (line number, raw line) in Spark, distributed: line numbers come from zipWithIndex over the
 * file's partitions in order, so they are the file's real 1-based line numbers (header = 1) at any size.
 */
public final class TextLines {
  private TextLines() {}

  static final StructType SCHEMA = new StructType()
      .add("line_no", DataTypes.LongType, false)
      .add("raw", DataTypes.StringType, true);

  /** Columns: source_file, source_sha256, source_dataset, line_no, raw. */
  public static Dataset<Row> read(SparkSession spark, InputFile file) {
    JavaRDD<Row> numbered = spark.read().text(file.path()).javaRDD().zipWithIndex()
        .map(t -> RowFactory.create(t._2() + 1, t._1().getString(0)));
    return spark.createDataFrame(numbered, SCHEMA)
        .select(lit(file.fileName()).as("source_file"), lit(file.sha256()).as("source_sha256"),
            lit(file.dataset()).as("source_dataset"), org.apache.spark.sql.functions.col("line_no"),
            org.apache.spark.sql.functions.col("raw"));
  }
}
