package org.learningregions.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.learningregions.aggregate.AgeBand;
import org.learningregions.aggregate.LearningRateEstimator;
import org.learningregions.aggregate.ReliabilityThresholds;

/**
 * The aggregate stage at census-like scale against DuckDB on the same Parquet files (bench/aggregate.sh runs it;
 * never CI). Modes, each in its own JVM so that peak memory is per engine:
 * {@code generate ROWS DIR}, {@code spark-totals DIR OUT}, {@code spark-full DIR OUT}, {@code duckdb DIR OUT},
 * {@code duckdb-full DIR OUT}, {@code compare SPARK_OUT DUCKDB_OUT}, {@code compare-full SPARK_DIR DUCKDB_CSV}.
 * Every mode appends one JSON line to {@code $BENCH_RESULTS}.
 */
public final class AggregateBenchmark {
  static final int REGIONS = 600;
  static final int YEARS = 10;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    long t0 = System.nanoTime();
    String extra = switch (mode) {
      case "generate" -> generate(Long.parseLong(args[1]), args[2]);
      case "spark-totals" -> spark(args[1], args[2], false);
      case "spark-full" -> spark(args[1], args[2], true);
      case "duckdb" -> duckdb(args[1], args[2]);
      case "duckdb-full" -> duckdbFull(args[1], args[2]);
      case "compare" -> compare(args[1], args[2]);
      case "compare-full" -> compareFull(args[1], args[2]);
      default -> throw new IllegalArgumentException(mode);
    };
    double seconds = (System.nanoTime() - t0) / 1e9;
    String line = String.format(Locale.ROOT, "{\"mode\":\"%s\",\"input\":\"%s\",\"seconds\":%.2f%s}", mode, args[1],
        seconds, extra);
    BenchResults.record(line);
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
  }

  static SparkSession spark() {
    return SparkSession.builder().master("local[2]").appName("aggregate-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "8")
        // The same two settings as reference.conf gives the application.
        .config("spark.sql.codegen.maxFields", "400")
        .config("spark.sql.codegen.aggregate.map.twolevel.enabled", "false").getOrCreate();
  }

  /** Synthetic microdata: 600 regions x 10 years, two strata per region-year, PSUs of 10 respondents. */
  static String generate(long rows, String dir) {
    SparkSession spark = spark();
    int regionYears = REGIONS * YEARS;
    Dataset<Row> d = spark.range(rows)
        .withColumn("ry", col("id").mod(regionYears))
        .withColumn("k", col("id").divide(regionYears).cast("long"))
        .withColumn("r", col("ry").mod(REGIONS))
        .withColumn("year", lit(2010).plus(col("ry").divide(REGIONS).cast("int")))
        .withColumn("region_code", concat(lit("C"), expr("char(65 + cast(r / 20 as int))"),
            expr("lpad(cast(r % 20 as string), 2, '0')")))
        .withColumn("h", col("k").mod(2))
        .withColumn("stratum", concat(col("region_code"), lit("-"), col("year").cast("string"), lit("-"),
            col("h").cast("string")))
        .withColumn("psu", concat(col("stratum"), lit("-"), col("k").divide(20).cast("long").cast("string")))
        .withColumn("p", expr("0.05 + 0.3 * (pmod(xxhash64(r, 7), 1000) / 1000.0)"))
        .withColumn("u", expr("pmod(xxhash64(id, 1), 1000000) / 1000000.0"))
        .withColumn("v", expr("pmod(xxhash64(id, 2), 1000000) / 1000000.0"))
        .withColumn("any", col("u").lt(col("p")))
        .select(lit("BENCH").as("survey"), col("year"), col("id").cast("string").as("respondent_id"),
            col("region_code"), expr("25 + pmod(xxhash64(id, 3), 40)").cast("int").as("age"),
            expr("if(pmod(xxhash64(id, 4), 2) = 0, 'F', 'M')").as("sex"),
            expr("element_at(array('ISCED0-2','ISCED3-4','ISCED5-8'), cast(pmod(xxhash64(id, 5), 3) + 1 as int))")
                .as("education_level"),
            expr("element_at(array('employed','employed','employed','unemployed','inactive'), "
                + "cast(pmod(xxhash64(id, 6), 5) + 1 as int))").as("labour_status"),
            col("any").and(col("v").lt(0.35)).as("formal"), col("any").and(col("v").geq(0.2)).as("non_formal"),
            expr("pmod(xxhash64(id, 8), 100) < 35").as("informal"), lit(0.0).as("hours"),
            expr("100.0 + pmod(xxhash64(id, 9), 100)").cast("double").as("weight"), col("stratum"), col("psu"));
    d.write().mode("overwrite").parquet(dir);
    return ",\"rows\":" + rows;
  }

  static String spark(String dir, String out, boolean full) throws Exception {
    SparkSession spark = spark();
    long t0 = System.nanoTime();
    LearningRateEstimator e = full
        ? new LearningRateEstimator(List.of(2, 1, 0), LearningRateEstimator.ALL_BREAKDOWNS, AGE_BANDS,
            new ReliabilityThresholds(20, 50), 0.95)
        : new LearningRateEstimator(List.of(2), List.of(), List.of(), new ReliabilityThresholds(20, 50), 0.95);
    Dataset<Row> rates = e.estimate(spark.read().parquet(dir)).rates();
    if (System.getenv("SPARK_EXPLAIN") != null) {
      Files.writeString(Path.of(System.getenv("SPARK_EXPLAIN")), rates.queryExecution().executedPlan().toString());
    }
    if (full) {
      rates.select("region_code", "nuts_level", "year", "breakdown", "breakdown_value", "measure", "rate", "se")
          .coalesce(1).write().mode("overwrite").csv(out);
      return String.format(Locale.ROOT, ",\"engine\":\"spark\",\"scope\":\"levels 2,1,0 x total+4 breakdowns x 4"
          + " measures\",\"compute_seconds\":%.2f", (System.nanoTime() - t0) / 1e9);
    }
    List<Row> any = rates.filter("measure = 'any'").select("region_code", "year", "rate", "se").collectAsList();
    double compute = (System.nanoTime() - t0) / 1e9;
    try (PrintWriter w = new PrintWriter(out)) {
      for (Row r : any) {
        w.printf(Locale.ROOT, "%s,%d,%.17g,%.17g%n", r.getString(0), r.getInt(1), r.getDouble(2), r.getDouble(3));
      }
    }
    return String.format(Locale.ROOT, ",\"engine\":\"spark\",\"scope\":\"region-year totals x 4 measures\","
        + "\"cells\":%d,\"compute_seconds\":%.2f", any.size(), compute);
  }

  static final List<AgeBand> AGE_BANDS = List.of(new AgeBand("25-34", 25, 34), new AgeBand("35-44", 35, 44),
      new AgeBand("45-54", 45, 54), new AgeBand("55-64", 55, 64));

  /**
   * The whole of gold.learning_rates (NUTS 2, 1 and 0; total and the four breakdowns; four measures; rate and
   * linearised SE) in DuckDB SQL, by the same algorithm as the Spark estimator (respondents to PSU totals, PSU totals
   * to per-stratum sums of totals, squares and products), so the two engines do the same work.
   */
  static String duckdbFull(String dir, String out) throws Exception {
    List<String[]> domains = new java.util.ArrayList<>();
    domains.add(new String[] {"total", "total", "TRUE"});
    for (String v : List.of("F", "M")) {
      domains.add(new String[] {"sex", v, "sex = '" + v + "'"});
    }
    for (AgeBand a : AGE_BANDS) {
      domains.add(new String[] {"age_band", a.label(), "age BETWEEN " + a.min() + " AND " + a.max()});
    }
    for (String v : List.of("ISCED0-2", "ISCED3-4", "ISCED5-8")) {
      domains.add(new String[] {"education_level", v, "education_level = '" + v + "'"});
    }
    for (String v : List.of("employed", "unemployed", "inactive")) {
      domains.add(new String[] {"labour_status", v, "labour_status = '" + v + "'"});
    }
    String[] measures = {"formal", "non_formal", "any", "informal"};
    StringBuilder psuSums = new StringBuilder();
    StringBuilder strataSums = new StringBuilder();
    StringBuilder longForm = new StringBuilder();
    for (int i = 0; i < domains.size(); i++) {
      String t = "d" + i;
      String c = domains.get(i)[2];
      psuSums.append(String.format(", SUM(CASE WHEN %s THEN 1 ELSE 0 END) AS %s_n, SUM(CASE WHEN %s THEN w ELSE 0 END)"
          + " AS %s_x", c, t, c, t));
      strataSums.append(String.format(", SUM(%1$s_n) AS %1$s_n, SUM(CASE WHEN %1$s_n > 0 THEN 1 ELSE 0 END) AS %1$s_k,"
          + " SUM(%1$s_x) AS %1$s_sx, SUM(%1$s_x * %1$s_x) AS %1$s_sxx", t));
      StringBuilder l = new StringBuilder(String.format("SELECT survey, year, stratum, region_code, '%s' AS breakdown,"
          + " '%s' AS value, %s_n AS n, %s_k AS k, %s_sx AS sx, %s_sxx AS sxx", domains.get(i)[0], domains.get(i)[1],
          t, t, t, t));
      for (String m : measures) {
        psuSums.append(String.format(", SUM(CASE WHEN %s THEN y_%s ELSE 0 END) AS %s_%s", c, m, t, m));
        strataSums.append(String.format(", SUM(%1$s_%2$s) AS %1$s_sy_%2$s, SUM(%1$s_x * %1$s_%2$s) AS %1$s_sxy_%2$s,"
            + " SUM(%1$s_%2$s * %1$s_%2$s) AS %1$s_syy_%2$s", t, m));
        l.append(String.format(", %1$s_sy_%2$s AS sy_%2$s, %1$s_sxy_%2$s AS sxy_%2$s, %1$s_syy_%2$s AS syy_%2$s", t,
            m));
      }
      longForm.append(i == 0 ? "" : " UNION ALL ").append(l).append(" FROM s");
    }
    StringBuilder levelSums = new StringBuilder("SUM(n) AS n, SUM(k) AS k, SUM(sx) AS sx, SUM(sxx) AS sxx");
    StringBuilder totals = new StringBuilder("SUM(n) AS n_cell, SUM(sx) AS w_sum");
    StringBuilder variance = new StringBuilder();
    StringBuilder result = new StringBuilder();
    for (String m : measures) {
      levelSums.append(String.format(", SUM(sy_%1$s) AS sy_%1$s, SUM(sxy_%1$s) AS sxy_%1$s, SUM(syy_%1$s) AS syy_%1$s",
          m));
      totals.append(String.format(", SUM(sy_%1$s) AS wy_%1$s", m));
      String r = "(wy_" + m + " / w_sum)";
      variance.append(String.format(", SUM(CASE WHEN n_h > 1 THEN n_h / (n_h - 1.0) * ((syy_%1$s - 2 * %2$s * sxy_%1$s"
          + " + %2$s * %2$s * sxx) - (sy_%1$s - %2$s * sx) * (sy_%1$s - %2$s * sx) / n_h) ELSE 0 END) / (w_sum * w_sum)"
          + " AS var_%1$s", m, r));
      result.append(result.length() == 0 ? "" : " UNION ALL ").append(String.format("SELECT reg AS region_code,"
          + " lvl AS nuts_level, year, breakdown, value, '%1$s' AS measure, 100 * wy_%1$s / w_sum AS rate,"
          + " 100 * sqrt(GREATEST(var_%1$s, 0)) AS se FROM v", m));
    }
    String key = "survey, year, lvl, reg, breakdown, value";
    // One statement per step, as temporary tables: a single statement of this size spent most of its time
    // (and 20 GB) outside the operators, measured with DuckDB's profiler.
    String[] steps = {
        """
        CREATE TEMP TABLE p AS SELECT survey, year, stratum, psu, region_code %s
        FROM (SELECT survey, year, region_code, stratum, psu, weight AS w, age, sex, education_level, labour_status,
                     CASE WHEN formal THEN weight ELSE 0 END AS y_formal,
                     CASE WHEN non_formal THEN weight ELSE 0 END AS y_non_formal,
                     CASE WHEN formal OR non_formal THEN weight ELSE 0 END AS y_any,
                     CASE WHEN informal THEN weight ELSE 0 END AS y_informal FROM read_parquet('%s/*.parquet'))
        GROUP BY survey, year, stratum, psu, region_code""".formatted(psuSums, dir),
        "CREATE TEMP TABLE s AS SELECT survey, year, stratum, region_code, COUNT(*) AS n_psu %s FROM p GROUP BY ALL"
            .formatted(strataSums),
        "CREATE TEMP TABLE nh AS SELECT survey, year, stratum, SUM(n_psu) AS n_h FROM s GROUP BY ALL",
        "CREATE TEMP TABLE lf AS " + longForm,
        """
        CREATE TEMP TABLE sl AS SELECT %s, stratum, %s
        FROM (SELECT 2 AS lvl, region_code AS reg, * FROM lf UNION ALL SELECT 1, substr(region_code, 1, 3), * FROM lf
              UNION ALL SELECT 0, substr(region_code, 1, 2), * FROM lf) GROUP BY %s, stratum"""
            .formatted(key, levelSums, key),
        "CREATE TEMP TABLE t AS SELECT %s, %s FROM sl GROUP BY %s HAVING SUM(n) > 0".formatted(key, totals, key),
        """
        CREATE TEMP TABLE v AS SELECT %s, w_sum, wy_formal, wy_non_formal, wy_any, wy_informal %s
        FROM sl JOIN t USING (%s) JOIN nh USING (survey, year, stratum)
        GROUP BY %s, w_sum, wy_formal, wy_non_formal, wy_any, wy_informal""".formatted(key, variance, key, key),
        "COPY (" + result + ") TO '" + out + "' (HEADER false)"};
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
      for (String step : steps) {
        s.execute(step);
      }
    }
    return String.format(Locale.ROOT, ",\"engine\":\"duckdb\",\"scope\":\"levels 2,1,0 x total+4 breakdowns x 4"
        + " measures\",\"compute_seconds\":%.2f", (System.nanoTime() - t0) / 1e9);
  }

  /** Largest differences between the Spark and DuckDB full tables, matched on all six key columns. */
  static String compareFull(String sparkDir, String duckCsv) throws Exception {
    Path part;
    try (var files = Files.list(Path.of(sparkDir))) {
      part = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
    }
    Map<String, double[]> a = readFull(part);
    Map<String, double[]> b = readFull(Path.of(duckCsv));
    return differences(a, b);
  }

  private static Map<String, double[]> readFull(Path file) throws Exception {
    Map<String, double[]> m = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split(",");
      if (f.length == 8 && !f[6].isEmpty()) {
        m.put(String.join("|", f[0], f[1], f[2], f[3], f[4], f[5]),
            new double[] {Double.parseDouble(f[6]), Double.parseDouble(f[7])});
      }
    }
    return m;
  }

  static String duckdb(String dir, String out) throws Exception {
    String files = "read_parquet('" + dir + "/*.parquet')";
    String sql = """
        WITH d AS (SELECT region_code, year, stratum, psu, weight AS w,
                          CAST((formal OR non_formal) AS DOUBLE) AS y FROM %s),
        tot AS (SELECT region_code, year, SUM(w) AS sw, SUM(w * y) AS swy FROM d GROUP BY ALL),
        psu AS (SELECT region_code, year, stratum, psu, SUM(w) AS sw, SUM(w * y) AS swy FROM d GROUP BY ALL),
        nh AS (SELECT year, stratum, COUNT(*) AS n_h FROM (SELECT DISTINCT year, stratum, psu FROM d) GROUP BY ALL),
        z AS (SELECT p.region_code, p.year, p.stratum, (p.swy - t.swy / t.sw * p.sw) / t.sw AS z
              FROM psu p JOIN tot t USING (region_code, year)),
        st AS (SELECT region_code, year, stratum, SUM(z) AS s1, SUM(z * z) AS s2 FROM z GROUP BY ALL)
        SELECT st.region_code, st.year, 100 * any_value(t.swy / t.sw) AS rate,
               100 * sqrt(SUM(CASE WHEN n_h > 1 THEN n_h / (n_h - 1.0) * (s2 - s1 * s1 / n_h) ELSE 0 END)) AS se
        FROM st JOIN nh USING (year, stratum) JOIN tot t USING (region_code, year) GROUP BY ALL
        """.formatted(files);
    long t0 = System.nanoTime();
    double ratesOnly;
    // The comparable computation of the figures: region-year totals of "any", rate and linearised SE.
    int n = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
      try (ResultSet r = s.executeQuery("SELECT region_code, year, SUM(weight * CAST((formal OR non_formal) AS DOUBLE))"
          + " / SUM(weight) FROM " + files + " GROUP BY ALL")) {
        while (r.next()) {
          n++;
        }
      }
      ratesOnly = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      try (ResultSet r = s.executeQuery(sql); PrintWriter w = new PrintWriter(out)) {
        while (r.next()) {
          w.printf(Locale.ROOT, "%s,%d,%.17g,%.17g%n", r.getString(1), r.getInt(2), r.getDouble(3), r.getDouble(4));
        }
      }
      double withVariance = (System.nanoTime() - t1) / 1e9;
      return String.format(Locale.ROOT, ",\"engine\":\"duckdb\",\"cells\":%d,\"rates_only_seconds\":%.2f,"
          + "\"rates_with_variance_seconds\":%.2f", n, ratesOnly, withVariance);
    }
  }

  static String compare(String sparkOut, String duckOut) throws Exception {
    Map<String, double[]> a = read(sparkOut);
    Map<String, double[]> b = read(duckOut);
    return differences(a, b);
  }

  /** Cells of each side, cells matched by key, and the largest absolute differences of rate and SE among them. */
  private static String differences(Map<String, double[]> a, Map<String, double[]> b) {
    double rate = 0;
    double se = 0;
    int matched = 0;
    for (Map.Entry<String, double[]> e : a.entrySet()) {
      double[] o = b.get(e.getKey());
      if (o != null) {
        matched++;
        rate = Math.max(rate, Math.abs(e.getValue()[0] - o[0]));
        se = Math.max(se, Math.abs(e.getValue()[1] - o[1]));
      }
    }
    return String.format(Locale.ROOT, ",\"cells_spark\":%d,\"cells_duckdb\":%d,\"matched\":%d,"
        + "\"max_abs_diff_rate_pp\":%.3g,\"max_abs_diff_se_pp\":%.3g", a.size(), b.size(), matched, rate, se);
  }
  private static Map<String, double[]> read(String file) throws Exception {
    Map<String, double[]> m = new HashMap<>();
    for (String line : Files.readAllLines(Path.of(file))) {
      String[] f = line.split(",");
      m.put(f[0] + "|" + f[1], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
    }
    return m;
  }
}
