package org.learningregions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.learningregions.SparkTestSession;

/**
 * The one use of Spark's internal rows reads what the public API reads: if Spark changes {@code InternalRow}, this
 * fails before any fit goes wrong.
 */
class InternalRowsTest {
  @Test
  void fieldsReadAsThePublicApiReadsThem() {
    Dataset<Row> d = SparkTestSession.get().sql("select cast(id as double) * 0.5D as x, id * 7 as k, "
        + "concat('r', cast(id as string), 'é') as s, id % 2 = 0 as b from range(0, 1000, 1, 3)");
    List<String> internal = new ArrayList<>();
    for (List<String> part : InternalRows.mapPartitions(d, rows -> {
      List<String> out = new ArrayList<>();
      while (rows.hasNext()) {
        InternalRows.Fields f = rows.next();
        out.add(f.getDouble(0) + "|" + f.getLong(1) + "|" + f.getString(2) + "|" + f.getBoolean(3));
      }
      return out;
    }).collect()) {
      internal.addAll(part);
    }
    List<String> external = d.collectAsList().stream()
        .map(r -> r.getDouble(0) + "|" + r.getLong(1) + "|" + r.getString(2) + "|" + r.getBoolean(3)).toList();
    assertEquals(external, internal);
  }
}
