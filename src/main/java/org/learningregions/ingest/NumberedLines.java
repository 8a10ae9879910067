package org.learningregions.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
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
 * Text files as numbered lines in Spark: one task per {@link LineChunk} the driver's scan found, each reading its
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

  /** What one task reads. */
  record Task(String path, String name, String sha256, String dataset, String format, String charset, boolean gzip,
      LineChunk chunk) implements Serializable {}

  /** The numbered lines of text files, all in one Dataset (one partition per chunk). */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files) {
    List<Task> tasks = new ArrayList<>();
    for (InputFile f : files) {
      for (LineChunk c : f.chunks()) {
        tasks.add(new Task(f.path(), f.fileName(), f.sha256(), f.dataset(), f.format().name(), f.charset(),
            f.gzip(), c));
      }
    }
    if (tasks.isEmpty()) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    JavaRDD<Row> rows = jsc.parallelize(tasks, tasks.size())
        .mapPartitions(it -> new ChunkLines(it, hadoop.value()));
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The lines of the tasks of one partition, streamed: nothing is held beyond the current line. */
  private static final class ChunkLines implements Iterator<Row> {
    private final Iterator<Task> tasks;
    private final SerializableConfiguration hadoop;
    private Task task;
    private InputStream in;
    private LineIterator lines;
    private Charset charset;
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
            next = RowFactory.create(task.name(), task.sha256(), task.dataset(), task.format(), lineNo,
                new String(lines.bytes(), 0, lines.length(), charset));
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

    private void open(Task t) throws IOException {
      task = t;
      charset = Charset.forName(t.charset());
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
