package org.learningregions.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.SparkTestSession;

/**
 * Delta Kernel reads the bookkeeping tables as Spark wrote them, partitioned or not, after a replace: the one class
 * that uses Kernel internals is checked against Spark here.
 */
class SmallTableReaderTest {
  @TempDir
  Path tmp;

  @Test
  void kernelReadsWhatSparkWrote() {
    Lakehouse lake = new Lakehouse(SparkTestSession.get(), tmp.toString());
    TableId t = TableId.meta("probe");
    Dataset<Row> first = SparkTestSession.get().sql("select cast(id as string) as source_file, id as n, "
        + "cast(id as double) / 3 as v, id % 2 = 0 as even, cast(null as string) as empty from range(0, 50)");
    lake.writer("test").replacePartitions(t, first, "source_file",
        first.select("source_file").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    Dataset<Row> revised = SparkTestSession.get().sql("select '7' as source_file, 700L as n, 1.5D as v, "
        + "false as even, 'x' as empty");
    lake.writer("test").replacePartitions(t, revised, "source_file", List.of("7"));
    List<Map<String, Object>> kernel = lake.readSmall(t);
    kernel.sort(Comparator.comparing(m -> Long.valueOf((Long) m.get("n"))));
    List<Row> spark = lake.read(t).orderBy("n").collectAsList();
    assertEquals(spark.size(), kernel.size());
    for (int i = 0; i < spark.size(); i++) {
      Row r = spark.get(i);
      Map<String, Object> m = kernel.get(i);
      assertEquals(r.getAs("source_file"), m.get("source_file"), "partition column");
      assertEquals(r.<Long>getAs("n"), m.get("n"));
      assertEquals(r.<Double>getAs("v"), m.get("v"));
      assertEquals(r.<Boolean>getAs("even"), m.get("even"));
      assertEquals(r.<String>getAs("empty"), m.get("empty"));
    }
    assertEquals(700L, kernel.stream().filter(m -> "7".equals(m.get("source_file"))).findFirst().orElseThrow()
        .get("n"));
    assertEquals(List.of(), lake.readSmall(TableId.meta("absent")));
  }
}
