package org.learningregions.lake;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.learningregions.config.AppConfig;

/** Creates (or joins) the SparkSession a command runs in, with Delta Lake enabled. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(AppConfig config) {
    SparkSession.Builder builder = SparkSession.builder().appName(config.string("spark.app-name"));
    // spark-submit passes the master as a system property; a session that already runs (tests, notebooks) keeps
    // its own. Only a plain `java` launch takes the master from the configuration.
    boolean masterGiven = System.getProperty("spark.master") != null || SparkSession.getActiveSession().isDefined()
        || SparkSession.getDefaultSession().isDefined();
    if (!masterGiven) {
      builder.master(config.string("spark.master"));
    }
    for (Map.Entry<String, String> e : config.sparkConf().entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    builder.config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    // Layer databases (bronze, silver, gold, quarantine) are registered per session for `sql`; their directories
    // belong inside the lakehouse rather than in the working directory.
    builder.config("spark.sql.warehouse.dir", Lakehouse.absolute(config.lakehouse()) + "/_catalog");
    return builder.getOrCreate();
  }

  static String trimSlash(String s) {
    return s.replaceAll("/+$", "");
  }
}
