package org.learningregions.ingest;

import static org.apache.spark.sql.functions.lit;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
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

  private static final long LINES_PER_PARTITION_BYTES = 8L << 20;

  static final StructType SCHEMA = new StructType()
      .add("line_no", DataTypes.LongType, false)
      .add("raw", DataTypes.StringType, true);

  /** Columns: source_file, source_sha256, source_dataset, line_no, raw. */
  public static Dataset<Row> read(SparkSession spark, InputFile file) {
    JavaRDD<Row> numbered;
    if (file.charset() == null || file.charset().equals("UTF-8")) {
      numbered = spark.read().text(file.path()).javaRDD().zipWithIndex()
          .map(t -> RowFactory.create(t._2() + 1, t._1().getString(0)));
    } else {
      // Spark's text source assumes UTF-8: other encodings are decoded from Hadoop's raw line bytes.
      String charset = file.charset();
      numbered = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .hadoopFile(file.path(), TextInputFormat.class, LongWritable.class, Text.class)
          .mapPartitions(it -> {
            // Charset is not serialisable: look it up once per partition, not once per line.
            java.nio.charset.Charset cs = java.nio.charset.Charset.forName(charset);
            return new java.util.Iterator<String>() {
              @Override
              public boolean hasNext() {
                return it.hasNext();
              }

              @Override
              public String next() {
                Text line = it.next()._2();
                return new String(line.getBytes(), 0, line.getLength(), cs);
              }
            };
          }, true)
          .zipWithIndex()
          .map(t -> RowFactory.create(t._2() + 1, t._1()));
    }
    // A split is up to 128 MB of text and a gzip file is one split; a wide Eurostat line explodes into dozens of
    // observations, so spread the numbered lines over partitions of about LINES_PER_PARTITION_BYTES of text.
    long text = file.path().endsWith(".gz") ? file.bytes() * 6 : file.bytes();
    int want = (int) Math.min(4096, Math.max(1, text / LINES_PER_PARTITION_BYTES));
    if (want > numbered.getNumPartitions()) {
      numbered = numbered.repartition(want);
    }
    return spark.createDataFrame(numbered, SCHEMA)
        .select(lit(file.fileName()).as("source_file"), lit(file.sha256()).as("source_sha256"),
            lit(file.dataset()).as("source_dataset"), org.apache.spark.sql.functions.col("line_no"),
            org.apache.spark.sql.functions.col("raw"));
  }
}
