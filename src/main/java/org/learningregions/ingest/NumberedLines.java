package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A text file as numbered lines in Spark: one task per {@link LineChunk} the driver's scan found, each reading its
 * byte range with {@link LineIterator}, so line numbers are the file's real 1-based numbers (header = 1) at any size
 * without a counting pass. Columns: source_file, source_sha256, source_dataset, source_format, line_no, raw.
 */
public final class NumberedLines {
  public static final StructType SCHEMA = new StructType()
      .add("source_file", DataTypes.StringType, false)
      .add("source_sha256", DataTypes.StringType, false)
      .add("source_dataset", DataTypes.StringType, false)
      .add("source_format", DataTypes.StringType, false)
      .add("line_no", DataTypes.LongType, false)
      .add("raw", DataTypes.StringType, false);

  private NumberedLines() {}

  /** What a task emits per line: the line number and the line's UTF-8 bytes. */
  private static final StructType TASK_ROW = new StructType()
      .add("line_no", DataTypes.LongType, false)
      .add("raw", DataTypes.BinaryType, false);

  /** What one task reads: a chunk of the file. */
  record Task(String path, String charset, boolean gzip, LineChunk chunk) implements Serializable {}

  /** The numbered lines of a text file (one partition per chunk). */
  public static Dataset<Row> read(SparkSession spark, InputFile file) {
    List<Task> tasks = file.chunks().stream().map(c -> new Task(file.path(), file.charset(), file.gzip(), c))
        .toList();
    if (tasks.isEmpty()) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    JavaRDD<Row> rows = jsc.parallelize(tasks, tasks.size())
        .mapPartitions(it -> new ChunkLines(it, hadoop.value()));
    // A task emits the line number and the line as UTF-8 bytes; the file's names are literals and the bytes become a
    // string by a copy, where strings in the rows would each be decoded and encoded again on the way into Spark (a
    // fifth of a large file's first pass, 2026-12-04). Spark folds the literals into every expression that reads
    // them: the indicator mapping keeps only this dataset's rules, a cell's vintage is computed once per plan.
    return spark.createDataFrame(rows, TASK_ROW).select(
        lit(file.fileName()).as("source_file"), lit(file.sha256()).as("source_sha256"),
        lit(file.dataset()).as("source_dataset"), lit(file.format().name()).as("source_format"),
        col("line_no"), col("raw").cast("string").as("raw"));
  }

  /** The lines of the tasks of one partition, streamed: nothing is held beyond the current line. */
  private static final class ChunkLines implements Iterator<Row> {
    private final Iterator<Task> tasks;
    private final SerializableConfiguration hadoop;
    private Task task;
    private InputStream in;
    private LineIterator lines;
    private Charset charset;
    private boolean utf8;
    private Row next;

    ChunkLines(Iterator<Task> tasks, SerializableConfiguration hadoop) {
      this.tasks = tasks;
      this.hadoop = hadoop;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          if (lines != null && lines.next()) {
            long lineNo = task.chunk().firstLine() + lines.lineNumber() - 1;
            next = RowFactory.create(lineNo, utf8(lines.bytes(), lines.length()));
            break;
          }
          close();
          if (!tasks.hasNext()) {
            return false;
          }
          open(tasks.next());
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(task.path() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      return r;
    }

    /**
     * The line as UTF-8: a UTF-8 file's bytes as they are (the sniffer checked every byte), a Latin-1 file's
     * decoded and encoded.
     */
    private byte[] utf8(byte[] line, int length) {
      return utf8 ? Arrays.copyOf(line, length) : new String(line, 0, length, charset).getBytes(StandardCharsets.UTF_8);
    }

    private void open(Task t) throws IOException {
      task = t;
      charset = Charset.forName(t.charset());
      utf8 = charset.equals(StandardCharsets.UTF_8);
      Path path = new Path(t.path());
      FileSystem fs = path.getFileSystem(hadoop.value());
      if (t.gzip()) {
        in = new GZIPInputStream(fs.open(path), 1 << 16);
        lines = new LineIterator(in, -1);
      } else {
        FSDataInputStream data = fs.open(path, 1 << 16);
        data.seek(t.chunk().offset());
        in = data;
        lines = new LineIterator(in, t.chunk().length());
      }
    }

    private void close() throws IOException {
      if (in != null) {
        in.close();
        in = null;
        lines = null;
      }
    }
  }
}
