package org.learningregions.stage;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.learningregions.config.AppConfig;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a stage's Spark queries compile their expressions to bytecode (whole-stage code generation, Janino) or
 * evaluate them interpreted, decided by the size of what the stage reads. Compiling pays off per row; on a few
 * megabytes the compilation itself is the cost (Janino was 15% of the CPU samples of a small file's ingest, JFR
 * 2026-12-04), so a stage whose input is below its configured limit ({@code spark.interpret-below-bytes.<stage>})
 * runs with Spark's interpreted evaluation and the session's mode is restored afterwards. A stage without a limit
 * always compiles.
 *
 * @param belowBytes per stage name, the input size in bytes below which its expressions are interpreted
 */
public record ExpressionMode(Map<String, Long> belowBytes) {
  private static final Logger LOG = LoggerFactory.getLogger(ExpressionMode.class);
  /** The settings Spark reads when it plans (whole-stage code generation) and when it builds projections. */
  private static final Map<String, String> INTERPRETED = Map.of("spark.sql.codegen.wholeStage", "false",
      "spark.sql.codegen.factoryMode", "NO_CODEGEN");

  public ExpressionMode {
    belowBytes = Map.copyOf(belowBytes);
  }

  /** The limits of {@code spark.interpret-below-bytes} (sizes such as {@code 64M}). */
  public static ExpressionMode from(AppConfig config) {
    Config section = config.section("spark.interpret-below-bytes");
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : section.root().entrySet()) {
      out.put(e.getKey(), section.getBytes(e.getKey()));
    }
    return new ExpressionMode(out);
  }

  /**
   * Whether {@code stage} runs interpreted; its input is sized only when it has a limit. Nothing to read (an ingest
   * whose files are all unchanged) leaves the session alone, so a run with nothing to do still never starts Spark.
   */
  public boolean interprets(String stage, LongSupplier inputBytes) {
    Long limit = belowBytes.get(stage);
    if (limit == null) {
      return false;
    }
    long bytes = inputBytes.getAsLong();
    return bytes > 0 && bytes < limit;
  }

  /** Bytes under the tables' directories (data files, log and older versions not yet vacuumed: an upper bound). */
  public static long tableBytes(Lakehouse lake, List<TableId> tables) {
    long sum = 0;
    for (TableId t : tables) {
      Path p = new Path(lake.path(t));
      try {
        FileSystem fs = p.getFileSystem(lake.hadoop());
        if (fs.exists(p)) {
          sum += fs.getContentSummary(p).getLength();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot size " + p, e);
      }
    }
    return sum;
  }

  /**
   * Runs {@code work} with the mode the stage of {@code entry} gets for its input size, and notes an interpreted run
   * in the entry; the session's own settings are back when it returns or throws. Concurrent queries of the same
   * session during {@code work} share the mode.
   */
  public <T> T run(Supplier<SparkSession> session, RunManifest.Stage entry, LongSupplier inputBytes,
      Supplier<T> work) {
    String stage = entry.name();
    if (!interprets(stage, inputBytes)) {
      return work.get();
    }
    String note = "expressions interpreted, not compiled (input below " + belowBytes.get(stage) + " bytes)";
    LOG.info("{}: {}", stage, note);
    entry.note(note);
    SparkSession spark = session.get();
    // Both settings have defaults, so the value read here is the one in force, set or not.
    Map<String, String> before = new TreeMap<>();
    INTERPRETED.forEach((k, v) -> {
      before.put(k, spark.conf().get(k));
      spark.conf().set(k, v);
    });
    try {
      return work.get();
    } finally {
      before.forEach(spark.conf()::set);
    }
  }
}
