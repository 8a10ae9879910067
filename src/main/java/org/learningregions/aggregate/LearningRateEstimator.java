package org.learningregions.aggregate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.lake.Seqs;

/**
 * Weighted participation rates with design-based standard errors, per region (NUTS 2, NUTS 1, country), year and
 * breakdown.
 *
 * <p>Estimator: the ratio {@code R = sum(w*y) / sum(w)} over the cell's respondents. Variance: Taylor linearisation
 * under a stratified cluster design with PSUs treated as sampled with replacement within strata, as R's survey package
 * computes {@code svymean}/{@code svyratio} with {@code svydesign(ids=~psu, strata=~stratum, weights=~w)}: scores
 * {@code z_i = w_i (y_i - R) / sum(w)} for respondents in the cell (0 outside it), PSU totals {@code z_hj}, and
 * {@code V = sum_h n_h/(n_h-1) sum_j (z_hj - zbar_h)^2} with {@code n_h} the PSUs of stratum h in the whole
 * survey-year (so PSUs with nobody in the cell count as zeros, as domain estimation requires). Strata with a single
 * PSU contribute nothing (survey's {@code lonely.psu = "certainty"}); their count is reported. Without design
 * columns each respondent is its own PSU in one stratum: the weighted SRS (with replacement) approximation.
 *
 * <p>Confidence interval: Wilson score interval at the effective sample size {@code n_eff = R(1-R)/V} (n when V = 0)
 * with the Student t critical value for the cell's design degrees of freedom (PSUs with members minus strata with
 * members, as Korn and Graubard recommend for domains): a variance estimated from a handful of PSUs must widen the
 * interval, or coverage falls short (measured: 89% with the normal value on 6 PSUs per cell). The interval stays
 * inside 0..100. Design effect: {@code V / (R(1-R)/n)}. Rates, SE and CI are in percent.
 */
public final class LearningRateEstimator {
  public static final String METHOD_DESIGN = "taylor_linearisation:stratified_cluster_with_replacement";
  public static final String METHOD_SRS = "taylor_linearisation:weighted_srs_with_replacement";
  public static final String CI_METHOD = "wilson_effective_n_t_design_df";
  static final long MAX_DF = 2000;
  public static final List<String> KEY = List.of("survey", "region_code", "year", "measure", "breakdown",
      "breakdown_value");
  static final String[] MEASURES = {"formal", "non_formal", "any", "informal"};

  /** Breakdowns besides the total, in the order of gold.learning_rates. */
  public static final List<String> ALL_BREAKDOWNS = List.of("sex", "age_band", "education_level", "labour_status");

  private final List<Integer> levels;
  private final List<String> breakdowns;
  private final List<AgeBand> ageBands;
  private final ReliabilityThresholds thresholds;
  private final double confidence;

  public LearningRateEstimator(List<Integer> levels, List<AgeBand> ageBands, ReliabilityThresholds thresholds,
      double confidence) {
    this(levels, ALL_BREAKDOWNS, ageBands, thresholds, confidence);
  }

  public LearningRateEstimator(List<Integer> levels, List<String> breakdowns, List<AgeBand> ageBands,
      ReliabilityThresholds thresholds, double confidence) {
    for (String b : breakdowns) {
      if (!ALL_BREAKDOWNS.contains(b)) {
        throw org.learningregions.LearningRegionsException.usage("unknown breakdown '" + b + "' in aggregate.breakdowns"
            + " (known: " + ALL_BREAKDOWNS + ")");
      }
    }
    this.breakdowns = List.copyOf(breakdowns);
    this.levels = List.copyOf(levels);
    this.ageBands = List.copyOf(ageBands);
    this.thresholds = thresholds;
    this.confidence = confidence;
  }

  /** Result: the rates table and the number of strata with one PSU (variance contribution 0). */
  public record Estimates(Dataset<Row> rates, long lonelyPsuStrata) {}

  public Estimates estimate(Dataset<Row> participation) {
    Column ageBand = null;
    for (AgeBand b : ageBands) {
      Column c = col("age").between(b.min(), b.max());
      ageBand = ageBand == null ? when(c, lit(b.label())) : ageBand.when(c, lit(b.label()));
    }
    Dataset<Row> people = participation.select(
        col("survey"), col("year"), col("region_code"), col("weight").as("w"),
        coalesce(col("stratum"), lit("__single_stratum__")).as("stratum"),
        coalesce(col("psu"), concat(lit("__respondent__"), col("respondent_id"))).as("psu"),
        col("stratum").isNotNull().and(col("psu").isNotNull()).as("has_design"),
        col("sex"), ageBand == null ? lit(null).cast("string").as("age_band") : ageBand.as("age_band"),
        col("education_level"), col("labour_status"),
        when(col("formal"), 1.0).otherwise(0.0).as("y_formal"),
        when(col("non_formal"), 1.0).otherwise(0.0).as("y_non_formal"),
        when(col("formal").or(col("non_formal")), 1.0).otherwise(0.0).as("y_any"),
        when(col("informal"), 1.0).otherwise(0.0).as("y_informal"));

    // Respondents collapse first to PSU cells, one aggregation per breakdown: the linearised PSU totals need only
    // the sums of w and w*y per PSU and domain (z_hj = (sum w*y - R * sum w) / W). About 1 + 2 + 4 + 3 + 3 cells
    // per PSU instead of one row per respondent and domain; exactly the same numbers. Materialised once: every
    // later step reads it.
    String[] base = {"survey", "year", "region_code", "stratum", "psu", "has_design"};
    List<Column> cellSums = new ArrayList<>(List.of(count(lit(1)).as("n"), sum("w").as("sw")));
    for (String m : MEASURES) {
      cellSums.add(sum(col("w").multiply(col("y_" + m))).as("swy_" + m));
    }
    Column first = cellSums.get(0);
    Column[] rest = cellSums.subList(1, cellSums.size()).toArray(new Column[0]);
    Dataset<Row> psuCells = people.groupBy(cols(base)).agg(first, rest)
        .withColumn("breakdown", lit("total")).withColumn("breakdown_value", lit("total"));
    for (String b : breakdowns) {
      psuCells = psuCells.unionByName(people.filter(col(b).isNotNull()).groupBy(cols(append(base, b))).agg(first, rest)
          .withColumn("breakdown", lit(b)).withColumn("breakdown_value", col(b).cast("string")).drop(b));
    }
    psuCells = psuCells.localCheckpoint();

    // Design facts per survey-year: PSUs per stratum (for every domain) and whether design columns exist.
    Dataset<Row> psus = psuCells.filter(col("breakdown").equalTo("total"))
        .select("survey", "year", "stratum", "psu", "has_design").distinct();
    Dataset<Row> psusPerStratum = psus.groupBy("survey", "year", "stratum").agg(count(lit(1)).as("n_h"))
        .localCheckpoint();
    Dataset<Row> design = psus.groupBy("survey", "year").agg(max(col("has_design")).as("design_based"));
    long lonely = psusPerStratum.filter(col("n_h").equalTo(1)).count();

    // Roll the PSU cells up to every configured NUTS level (PSUs lie inside one NUTS 2 region, hence inside its
    // NUTS 1 region and country).
    List<Column> levelRegions = new ArrayList<>();
    for (int level : levels) {
      Column region = level == 2 ? col("region_code") : substring(col("region_code"), 1, level + 2);
      levelRegions.add(struct(lit(level).as("nuts_level"), region.as("region")));
    }
    String[] domainKey = {"survey", "year", "nuts_level", "region_code", "breakdown", "breakdown_value"};
    String[] psuKey = append(domainKey, "stratum", "psu");
    List<Column> psuSums = new ArrayList<>(List.of(sum("n").as("n"), sum("sw").as("sw")));
    for (String m : MEASURES) {
      psuSums.add(sum("swy_" + m).as("swy_" + m));
    }
    Dataset<Row> psuDomain = psuCells
        .withColumn("l", explode(array(levelRegions.toArray(new Column[0]))))
        .select(col("survey"), col("year"), col("l.nuts_level").as("nuts_level"), col("l.region").as("region_code"),
            col("breakdown"), col("breakdown_value"), col("stratum"), col("psu"), col("n"), col("sw"),
            col("swy_formal"), col("swy_non_formal"), col("swy_any"), col("swy_informal"))
        .groupBy(cols(psuKey)).agg(psuSums.get(0), psuSums.subList(1, psuSums.size()).toArray(new Column[0]))
        .localCheckpoint();

    List<Column> totals = new ArrayList<>(List.of(sum("n").as("n"), sum("sw").as("w_sum")));
    for (String m : MEASURES) {
      totals.add(sum("swy_" + m).as("wy_" + m));
    }
    Dataset<Row> domainTotals = psuDomain.groupBy(cols(domainKey))
        .agg(totals.get(0), totals.subList(1, totals.size()).toArray(new Column[0]));

    // Linearised PSU totals z_hj = (sum w*y - R * sum w) / W, then per stratum S1 = sum z_hj and S2 = sum z_hj^2.
    Dataset<Row> withTotals = psuDomain.join(domainTotals.select(cols(append(domainKey, "w_sum", "wy_formal",
        "wy_non_formal", "wy_any", "wy_informal"))), Seqs.of(domainKey));
    List<Column> strataAgg = new ArrayList<>();
    for (String m : MEASURES) {
      Column z = col("swy_" + m).minus(col("wy_" + m).divide(col("w_sum")).multiply(col("sw"))).divide(col("w_sum"));
      strataAgg.add(sum(z).as("s1_" + m));
      strataAgg.add(sum(pow(z, 2)).as("s2_" + m));
    }
    strataAgg.add(count(lit(1)).as("psus_in_domain"));
    Dataset<Row> strata = withTotals.groupBy(cols(append(domainKey, "stratum")))
        .agg(strataAgg.get(0), strataAgg.subList(1, strataAgg.size()).toArray(new Column[0]))
        .join(broadcast(psusPerStratum), Seqs.of("survey", "year", "stratum"));
    List<Column> varAgg = new ArrayList<>();
    for (String m : MEASURES) {
      Column contribution = when(col("n_h").gt(1), col("n_h").divide(col("n_h").minus(1))
          .multiply(col("s2_" + m).minus(pow(col("s1_" + m), 2).divide(col("n_h"))))).otherwise(0.0);
      varAgg.add(sum(contribution).as("var_" + m));
    }
    // Design degrees of freedom of the cell: PSUs with members minus strata with members (at least 1).
    varAgg.add(greatest(lit(1L), sum("psus_in_domain").minus(count(lit(1)))).as("design_df"));
    Dataset<Row> variances = strata.groupBy(cols(domainKey))
        .agg(varAgg.get(0), varAgg.subList(1, varAgg.size()).toArray(new Column[0]));

    Dataset<Row> wide = domainTotals.join(variances, Seqs.of(domainKey)).join(broadcast(design),
        Seqs.of("survey", "year"));
    List<Column> perMeasure = new ArrayList<>();
    for (String m : MEASURES) {
      perMeasure.add(struct(lit(m).as("measure"), col("wy_" + m).as("wy"), col("var_" + m).as("var")));
    }
    Dataset<Row> longForm = wide.withColumn("m", explode(array(perMeasure.toArray(new Column[0]))))
        .withColumn("df_lookup", least(col("design_df"), lit(MAX_DF)))
        .join(broadcast(criticalValues(participation.sparkSession())), "df_lookup");
    return new Estimates(finish(longForm), lonely);
  }

  /**
   * Student t critical values by design df (1..{@value #MAX_DF}; larger df use the last row's value, within 0.1% of
   * the normal one), as a small table to broadcast: no per-row quantile computation.
   */
  private Dataset<Row> criticalValues(org.apache.spark.sql.SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    double p = 0.5 + confidence / 2;
    for (long df = 1; df <= MAX_DF; df++) {
      rows.add(org.apache.spark.sql.RowFactory.create(df, new TDistribution(df).inverseCumulativeProbability(p)));
    }
    return spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
        .add("df_key", org.apache.spark.sql.types.DataTypes.LongType)
        .add("t_crit", org.apache.spark.sql.types.DataTypes.DoubleType))
        .withColumnRenamed("df_key", "df_lookup");
  }

  private Dataset<Row> finish(Dataset<Row> longForm) {
    Column p = col("m.wy").divide(col("w_sum"));
    Column var = greatest(col("m.var"), lit(0.0));
    Column nEff = when(var.gt(0), p.multiply(lit(1).minus(p)).divide(var)).otherwise(col("n").cast("double"));
    Column t = col("t_crit");
    Column t2 = t.multiply(t);
    Column z2n = t2.divide(col("n_eff"));
    Column centre = col("p").plus(z2n.divide(2)).divide(lit(1).plus(z2n));
    Column half = t.multiply(sqrt(col("p").multiply(lit(1).minus(col("p"))).divide(col("n_eff"))
        .plus(t2.divide(pow(col("n_eff"), 2).multiply(4))))).divide(lit(1).plus(z2n));
    Column suppressed = col("n").lt(thresholds.limitA());
    Column reliability = when(suppressed, lit("suppressed")).when(col("n").lt(thresholds.limitB()), lit("low"))
        .otherwise(lit("ok"));
    Column deff = when(col("p").gt(0).and(col("p").lt(1)),
        col("var").divide(col("p").multiply(lit(1).minus(col("p"))).divide(col("n"))));
    Dataset<Row> computed = longForm
        .withColumn("p", p).withColumn("var", var).withColumn("n_eff", nEff)
        // At p = 0 (or 1) the Wilson bound is exactly 0 (or 1); rounding would leave 1e-15.
        .withColumn("lo", when(col("p").equalTo(0), lit(0.0)).otherwise(greatest(lit(0.0), centre.minus(half))))
        .withColumn("hi", when(col("p").equalTo(1), lit(1.0)).otherwise(least(lit(1.0), centre.plus(half))))
        .withColumn("reliability", reliability)
        .withColumn("deff", deff);
    // Suppressed cells keep only what cannot reveal the estimate: n, and why.
    return computed.select(
        col("survey"), col("region_code"), col("nuts_level").cast("int").as("nuts_level"), col("year"),
        col("m.measure").as("measure"), col("breakdown"), col("breakdown_value"), col("n"),
        when(suppressed, lit(null)).otherwise(col("m.wy")).cast("double").as("weighted_participants"),
        when(suppressed, lit(null)).otherwise(col("w_sum")).cast("double").as("weighted_population"),
        when(suppressed, lit(null)).otherwise(col("p").multiply(100)).cast("double").as("rate"),
        when(suppressed, lit(null)).otherwise(sqrt(col("var")).multiply(100)).cast("double").as("se"),
        when(suppressed, lit(null)).otherwise(col("lo").multiply(100)).cast("double").as("ci_low"),
        when(suppressed, lit(null)).otherwise(col("hi").multiply(100)).cast("double").as("ci_high"),
        when(suppressed, lit(null)).otherwise(col("deff")).cast("double").as("deff"),
        col("design_df").cast("long").as("design_df"),
        col("reliability"),
        when(col("design_based"), lit(METHOD_DESIGN)).otherwise(lit(METHOD_SRS)).as("method"),
        lit(CI_METHOD).as("ci_method"));
  }


  private static Column[] cols(String... names) {
    Column[] out = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = col(names[i]);
    }
    return out;
  }

  private static String[] append(String[] a, String... more) {
    String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }
}
