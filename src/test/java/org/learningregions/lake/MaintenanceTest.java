package org.learningregions.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;
import org.learningregions.SparkTestSession;

/** maintain compacts small files and leaves every table's content as it was. */
class MaintenanceTest {
  @TempDir
  Path tmp;

  @Test
  void compactsWithoutChangingContent() {
    Lakehouse lake = new Lakehouse(SparkTestSession.get(), tmp.resolve("lh").toString());
    TableId t = TableId.gold("small_files");
    for (int i = 0; i < 3; i++) {
      Dataset<Row> part = SparkTestSession.get().range(i * 10, i * 10 + 10).toDF("id").repartition(2);
      lake.writer("maint-test").replaceWhere(t, part, "id >= " + (i * 10) + " AND id < " + (i * 10 + 10));
    }
    long versionBefore = lake.version(t);
    List<Row> before = lake.read(t).orderBy("id").collectAsList();
    CliRunner.Result r = CliRunner.run("maintain", "--conf", "conf/local.conf", "-Dlakehouse=" + tmp.resolve("lh"),
        "gold.small_files");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("gold.small_files,1,"), r.out());
    assertTrue(lake.version(t) > versionBefore, "OPTIMIZE commits a new version");
    assertEquals(before, lake.read(t).orderBy("id").collectAsList());
  }

  @Test
  void refusesAShortVacuumRetention() {
    CliRunner.Result r = CliRunner.run("maintain", "--conf", "conf/local.conf", "-Dlakehouse=" + tmp.resolve("lh2"),
        "-Dmaintain.vacuum-retention-hours=1", "gold.none");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("retention below 168 hours"), r.err());
  }
}
