package org.learningregions.model;

import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The rows of a Dataset as Spark holds them internally, read field by field into the fitter's primitive arrays.
 *
 * <p>Why an internal API: the public {@code Dataset.javaRDD()} converts every row into an external {@link Row}
 * (boxing each double), which on the 10-million-row benchmark took longer than the whole fit that follows. The
 * fitter reads each row once, here, into arrays it keeps in memory; {@code InternalRowsTest} reads a frame through
 * this class and through the public API and compares, so a change of {@link InternalRow} fails there first. No
 * other class of the project touches Spark's internal rows (ArchitectureTest).
 */
final class InternalRows {
  private InternalRows() {}

  /** One row's fields by position. A single instance is reused for every row of a partition. */
  interface Fields {
    boolean isNull(int i);

    double getDouble(int i);

    long getLong(int i);

    boolean getBoolean(int i);

    /** A string field (a new String: call only for values that are kept). */
    String getString(int i);
  }

  /** What to make of one partition's rows; serialisable, as it travels to the executors. */
  @FunctionalInterface
  interface PartitionReader<T> extends java.io.Serializable {
    T read(Iterator<Fields> rows);
  }

  /** Applies {@code perPartition} to each partition's rows, seen through {@link Fields}. */
  static <T> JavaRDD<T> mapPartitions(Dataset<Row> data, PartitionReader<T> perPartition) {
    return data.queryExecution().toRdd().toJavaRDD().mapPartitions(it -> {
      View view = new View();
      Iterator<Fields> rows = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Fields next() {
          view.row = it.next();
          return view;
        }
      };
      return java.util.Collections.singletonList(perPartition.read(rows)).iterator();
    });
  }

  /** The reused view of the current internal row. */
  private static final class View implements Fields {
    InternalRow row;

    @Override
    public boolean isNull(int i) {
      return row.isNullAt(i);
    }

    @Override
    public double getDouble(int i) {
      return row.getDouble(i);
    }

    @Override
    public long getLong(int i) {
      return row.getLong(i);
    }

    @Override
    public boolean getBoolean(int i) {
      return row.getBoolean(i);
    }

    @Override
    public String getString(int i) {
      return row.getUTF8String(i).toString();
    }
  }
}
