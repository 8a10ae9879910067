package org.learningregions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.learningregions.config.AppConfig;

/**
 * One SparkSession for every test class in the surefire JVM (as Iceberg's TestBase does): local[2], UI off,
 * loopback driver, Delta enabled, small partition counts, and otherwise the Spark settings of reference.conf.
 * Starting Spark and warming Delta up is the expensive part.
 */
public final class SparkTestSession {
  private static SparkSession spark;
  private static Path warehouse;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      try {
        warehouse = Files.createTempDirectory("lr-warehouse");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      SparkSession.Builder builder = SparkSession.builder();
      // The production settings first (reference.conf's spark.conf: the shell-free local file system, codegen
      // limits), so that tests run the code paths and costs a user's run has; then the test's own.
      AppConfig.defaults(Map.of()).sparkConf().forEach(builder::config);
      spark = builder
          .master("local[2]")
          .appName("learning-regions-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.databricks.delta.snapshotPartitions", "1")
          .config("spark.sql.warehouse.dir", warehouse.toString())
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .getOrCreate();
    }
    return spark;
  }

  /** The shared data directory beside the project ({@code ../shared}), as CI lays it out. */
  public static Path shared() {
    return Path.of(System.getProperty("shared.dir", "../shared")).toAbsolutePath().normalize();
  }

  /** A test resource as a path. */
  public static Path resource(String name) {
    try {
      return Path.of(SparkTestSession.class.getResource("/" + name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }
}
