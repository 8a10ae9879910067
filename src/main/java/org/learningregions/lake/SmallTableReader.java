package org.learningregions.lake;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.learningregions.LearningRegionsException;

/**
 * Reads the lakehouse's small bookkeeping tables (meta.ingested_files, meta.stage_state, the model registry) with
 * Delta Kernel in this process: no Spark job, no SparkSession. That is what lets a run that changes nothing decide
 * so, for every stage, in milliseconds, without starting Spark at all.
 *
 * <p>Why internal Kernel classes: Kernel's public API reads the log and plans the scan, but the two steps its own user
 * guide uses to turn a scan-file row into a Parquet read ({@link InternalScanFileUtils#getAddFileStatus} and
 * {@link ScanStateRow#getPhysicalDataReadSchema}) are in {@code io.delta.kernel.internal}. They are used only here;
 * {@code SmallTableReaderTest} reads tables Spark wrote and compares, so a Kernel upgrade that changes them fails
 * there first. Only for tables of a few thousand rows: everything is materialised.
 */
final class SmallTableReader {
  private final Engine engine;

  SmallTableReader(Engine engine) {
    this.engine = engine;
  }

  /** Every row of the table at {@code path} (latest version) as column name to value (String, Long, ...). */
  List<Map<String, Object>> readAll(String path) {
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      Snapshot snapshot = TableManager.loadSnapshot(path).build(engine);
      Scan scan = snapshot.getScanBuilder().build();
      Row scanState = scan.getScanState(engine);
      StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
      try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
        while (files.hasNext()) {
          try (CloseableIterator<Row> fileRows = files.next().getRows()) {
            while (fileRows.hasNext()) {
              Row fileRow = fileRows.next();
              FileStatus status = InternalScanFileUtils.getAddFileStatus(fileRow);
              CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                  .readParquetFiles(singleton(status), physical, Optional.empty()).map(r -> r.getData());
              try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, scanState,
                  fileRow, data)) {
                while (logical.hasNext()) {
                  collect(logical.next(), out);
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot read " + path + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static void collect(FilteredColumnarBatch batch, List<Map<String, Object>> out) {
    ColumnarBatch data = batch.getData();
    Optional<ColumnVector> selected = batch.getSelectionVector();
    List<StructField> fields = data.getSchema().fields();
    for (int row = 0; row < data.getSize(); row++) {
      if (selected.isPresent() && (selected.get().isNullAt(row) || !selected.get().getBoolean(row))) {
        continue;
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (int c = 0; c < fields.size(); c++) {
        ColumnVector v = data.getColumnVector(c);
        values.put(fields.get(c).getName(), v.isNullAt(row) ? null : value(v, row));
      }
      out.add(values);
    }
  }

  private static Object value(ColumnVector v, int row) {
    var type = v.getDataType();
    if (type instanceof StringType) {
      return v.getString(row);
    }
    if (type instanceof LongType) {
      return v.getLong(row);
    }
    if (type instanceof IntegerType) {
      return v.getInt(row);
    }
    if (type instanceof DoubleType) {
      return v.getDouble(row);
    }
    if (type instanceof BooleanType) {
      return v.getBoolean(row);
    }
    throw new IllegalArgumentException("small tables hold strings, numbers and booleans only, not " + type);
  }

  private static CloseableIterator<FileStatus> singleton(FileStatus status) {
    return new CloseableIterator<>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public FileStatus next() {
        done = true;
        return status;
      }

      @Override
      public void close() {
        // nothing held
      }
    };
  }
}
