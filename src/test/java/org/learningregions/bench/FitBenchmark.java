package org.learningregions.bench;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Data and comparison for bench/fit.sh (never CI): {@code generate ROWS GROUPS YEARS DIR} writes an unbalanced
 * panel (rows spread at random over GROUPS x YEARS cells; five regressors correlated with the group effect;
 * heteroskedastic errors) as DIR/panel.parquet and DIR/panel.csv; {@code compare SPARK_COEFFICIENTS_CSV R_JSON}
 * prints the largest differences in estimates and standard errors, and exits with 1 when they exceed {@link #AGREE}
 * (the bench stops there). Each mode appends a JSON line to {@code $BENCH_RESULTS}.
 */
public final class FitBenchmark {
  static final double[] BETA = {1.0, 0.5, -0.3, 0.2, 0.1};
  /** Largest difference (absolute for estimates, relative for SEs) for two fits to count as the same numbers. */
  static final double AGREE = 1e-9;

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    String extra = switch (args[0]) {
      case "generate" -> generate(Long.parseLong(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]), args[4]);
      case "compare" -> compare(Path.of(args[1]), Path.of(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    };
    String line = String.format(Locale.ROOT, "{\"mode\":\"%s\",\"input\":\"%s\",\"seconds\":%.2f%s}", args[0], args[1],
        (System.nanoTime() - t0) / 1e9, extra);
    BenchResults.record(line);
    if (line.contains("\"agree\":false")) {
      System.err.println("the fits disagree beyond " + AGREE + ": " + line);
      System.exit(1);
    }
  }

  static String generate(long rows, long groups, int years, String dir) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("fit-benchmark-data")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    Dataset<Row> d = spark.range(0, rows, 1, 16)
        .withColumn("g", floor(rand(11).multiply(groups)).cast("long"))
        .withColumn("t", floor(rand(12).multiply(years)).cast("int").plus(2001));
    // A group effect from a hash of the group id (the same in every row of the group), a year trend.
    Column alpha = pmod(xxhash64(col("g")), lit(2000L)).divide(1000.0).minus(1.0);
    d = d.withColumn("alpha", alpha);
    Column y = col("alpha").plus(col("t").minus(2001).multiply(0.05));
    for (int j = 0; j < BETA.length; j++) {
      d = d.withColumn("x" + (j + 1), randn(20 + j).plus(col("alpha").multiply(0.5 + 0.1 * j)));
      y = y.plus(col("x" + (j + 1)).multiply(BETA[j]));
    }
    d = d.withColumn("y", y.plus(randn(30).multiply(lit(1.0).plus(abs(col("x1")).multiply(0.5)))))
        .select("g", "t", "x1", "x2", "x3", "x4", "x5", "y").localCheckpoint();
    d.write().mode(SaveMode.Overwrite).parquet(dir + "/panel.parquet");
    d.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true").csv(dir + "/panel_csv");
    spark.stop();
    return String.format(Locale.ROOT, ",\"rows\":%d,\"groups\":%d,\"years\":%d", rows, groups, years);
  }

  /** Largest absolute and relative differences between the Spark coefficients.csv and the R JSON. */
  static String compare(Path sparkCsv, Path rJson) throws Exception {
    Map<String, double[]> spark = new HashMap<>();
    List<String> lines = Files.readAllLines(sparkCsv);
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      spark.put(f[0].replace("\"", ""), new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
    }
    JsonNode r = new ObjectMapper().readTree(rJson.toFile());
    double maxB = 0;
    double maxSe = 0;
    double maxSeRel = 0;
    for (int j = 1; j <= BETA.length; j++) {
      String term = "x" + j;
      double[] s = spark.get(term);
      double b = r.get("estimate").get(term).asDouble();
      double se = r.get("std_error").get(term).asDouble();
      maxB = Math.max(maxB, Math.abs(s[0] - b));
      maxSe = Math.max(maxSe, Math.abs(s[1] - se));
      maxSeRel = Math.max(maxSeRel, Math.abs(s[1] - se) / se);
    }
    return String.format(Locale.ROOT, ",\"r\":\"%s\",\"max_abs_diff_estimate\":%.3e,\"max_abs_diff_se\":%.3e,"
        + "\"max_rel_diff_se\":%.3e,\"agree\":%b", rJson.getFileName(), maxB, maxSe, maxSeRel,
        maxB <= AGREE && maxSeRel <= AGREE);
  }
}
