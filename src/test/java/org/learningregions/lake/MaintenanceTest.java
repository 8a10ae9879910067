package org.learningregions.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;
import org.learningregions.LearningRegionsException;
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

  @Test
  void aShortRetentionNeedsTheOverrideIsRecordedAndAnEarlierRunsVersionSaysItIsGoneInOneLine() throws Exception {
    Path root = tmp.resolve("lh3");
    Lakehouse lake = new Lakehouse(SparkTestSession.get(), root.toString());
    TableId t = TableId.gold("small_files");
    for (int i = 0; i < 3; i++) {
      Dataset<Row> part = SparkTestSession.get().range(i * 10, i * 10 + 10).toDF("id").repartition(2);
      lake.writer("maint-test").replaceWhere(t, part, "id >= " + (i * 10) + " AND id < " + (i * 10 + 10));
    }
    // A run that left the table at its first version, as a pipeline's manifest records it.
    String earlier = RunManifest.newRunId();
    java.nio.file.Files.createDirectories(root.resolve("_runs"));
    java.nio.file.Files.writeString(root.resolve("_runs/" + earlier + ".json"),
        "{\"stages\":[{\"tables\":[{\"table\":\"gold.small_files\",\"version_after\":0}]}]}");
    assertEquals(10, LakeSnapshot.afterRun(lake, earlier).read(t).count(), "readable before VACUUM");
    List<Row> before = lake.read(t).orderBy("id").collectAsList();
    String conf = "-Dmaintain.vacuum-retention-hours=0";
    CliRunner.Result refused = CliRunner.run("maintain", "--conf", "conf/local.conf", "-Dlakehouse=" + root, conf,
        "gold.small_files");
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("--allow-short-retention"), refused.err());

    // conf/local.conf lists a table's files in 8 tasks; a VACUUM session that lost the run's settings lists them in
    // Spark's default of 10,000 (the bug found on 2026-12-03: 30 s for one small table).
    LargestStage stages = new LargestStage();
    SparkTestSession.get().sparkContext().addSparkListener(stages);
    CliRunner.Result r;
    try {
      r = CliRunner.run("maintain", "--conf", "conf/local.conf", "-Dlakehouse=" + root, conf,
          "--allow-short-retention", "gold.small_files");
    } finally {
      // Listener events arrive asynchronously; Spark's own tests wait on the bus the same way (private[spark] in
      // Scala, public to Java).
      SparkTestSession.get().sparkContext().listenerBus().waitUntilEmpty();
      SparkTestSession.get().sparkContext().removeSparkListener(stages);
    }
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(stages.tasks.get() > 0 && stages.tasks.get() <= 100,
        "the largest stage of maintain had " + stages.tasks.get() + " tasks (conf/local.conf's listing parallelism "
            + "is 8)");
    assertTrue(r.err().contains("warning: vacuum retention 0.0 hours"), r.err());
    assertEquals(before, lake.read(t).orderBy("id").collectAsList(), "OPTIMIZE and VACUUM keep the content");
    // The VACUUM runs in a session of its own that lifts Delta's retention check; it keeps the run's settings, so
    // its commits carry the run id like every other commit of the run.
    List<Row> vacuums = io.delta.tables.DeltaTable.forPath(SparkTestSession.get(), root.resolve("gold/small_files")
        .toString()).history().filter("operation LIKE 'VACUUM%'").select("userMetadata").collectAsList();
    assertFalse(vacuums.isEmpty(), "VACUUM is in the table's history");
    vacuums.forEach(v -> assertTrue(v.getString(0) != null && v.getString(0).matches("\\d{8}T\\d{6}Z-.*"),
        "VACUUM commits carry the run id: " + vacuums));
    // Run ids have a one-second clock, so the two maintain runs above may sort either way: look at every manifest.
    List<String> manifests = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> runs = java.nio.file.Files.list(root.resolve("_runs"))) {
      for (Path p : runs.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        manifests.add(java.nio.file.Files.readString(p));
      }
    }
    assertEquals(1, manifests.stream().filter(m -> m.contains("short_retention_override_hours")).count(),
        "the override is recorded in the run that used it: " + manifests);

    LearningRegionsException gone = org.junit.jupiter.api.Assertions.assertThrows(LearningRegionsException.class,
        () -> LakeSnapshot.afterRun(lake, earlier).read(t));
    assertEquals(1, gone.exitCode());
    assertTrue(gone.getMessage().contains("removed by VACUUM") && !gone.getMessage().contains("\n"),
        gone.getMessage());
  }

  /** The task count of the largest stage submitted while it listens. */
  private static final class LargestStage extends SparkListener {
    final AtomicInteger tasks = new AtomicInteger();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
      tasks.accumulateAndGet(event.stageInfo().numTasks(), Math::max);
    }
  }
}
