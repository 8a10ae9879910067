package org.learningregions.lake;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.learningregions.config.AppConfig;

/** Creates (or joins) the SparkSession a command runs in, with Delta Lake enabled; on first use only. */
public final class SparkSessions {
  private static final String HADOOP_PREFIX = "spark.hadoop.";

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
    // Layer databases (bronze, silver, gold, quarantine, meta) are registered per session for `sql`; their
    // directories belong inside the lakehouse rather than in the working directory.
    builder.config("spark.sql.warehouse.dir", Lakehouse.absolute(config.lakehouse()) + "/_catalog");
    return builder.getOrCreate();
  }

  /** The session of {@link #getOrCreate}, started the first time it is asked for (then the same one). */
  public static Supplier<SparkSession> lazily(AppConfig config) {
    return new Supplier<>() {
      private SparkSession session;

      @Override
      public synchronized SparkSession get() {
        if (session == null) {
          session = getOrCreate(config);
        }
        return session;
      }
    };
  }

  /**
   * The Hadoop configuration a session of this configuration would have: Hadoop's defaults with every
   * {@code spark.hadoop.*} setting of {@code spark.conf} (file system credentials providers, endpoints), so files and
   * Delta logs are reached the same way before Spark starts. A running session's own configuration wins.
   */
  public static Configuration hadoopConfiguration(AppConfig config) {
    if (SparkSession.getActiveSession().isDefined()) {
      return SparkSession.getActiveSession().get().sparkContext().hadoopConfiguration();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      return SparkSession.getDefaultSession().get().sparkContext().hadoopConfiguration();
    }
    Configuration hadoop = new Configuration();
    for (Map.Entry<String, String> e : config.sparkConf().entrySet()) {
      if (e.getKey().startsWith(HADOOP_PREFIX)) {
        hadoop.set(e.getKey().substring(HADOOP_PREFIX.length()), e.getValue());
      }
    }
    return hadoop;
  }
}
