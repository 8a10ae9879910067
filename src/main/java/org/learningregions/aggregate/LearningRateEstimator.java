package org.learningregions.aggregate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
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
import org.learningregions.util.Seqs;
import org.learningregions.validate.MicrodataValidator;

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

  /** One estimation domain: a breakdown value (or the total) whose members a column predicate selects. */
  private record Domain(String breakdown, String value, Column member) {}

  /** Column-name prefix of the i-th domain's sums. */
  private static String tag(int i) {
    return "d" + i;
  }

  /**
   * The domains of every cell: the total, then each configured breakdown's values. The values are the ones silver
   * admits (validation quarantines any other), so they are known without a scan of the data.
   */
  private List<Domain> domains() {
    List<Domain> out = new ArrayList<>(List.of(new Domain("total", "total", lit(true))));
    for (String b : breakdowns) {
      switch (b) {
        case "sex" -> MicrodataValidator.SEX.forEach(v -> out.add(new Domain(b, v, col("sex").equalTo(v))));
        case "education_level" -> MicrodataValidator.EDUCATION.forEach(
            v -> out.add(new Domain(b, v, col("education_level").equalTo(v))));
        case "labour_status" -> MicrodataValidator.LABOUR.forEach(
            v -> out.add(new Domain(b, v, col("labour_status").equalTo(v))));
        case "age_band" -> ageBands.forEach(a -> out.add(new Domain(b, a.label(), col("age").between(a.min(),
            a.max()))));
        default -> throw new IllegalStateException(b);
      }
    }
    return out;
  }

  /**
   * Estimates every cell in two aggregations over the respondents, however many breakdowns: respondents to PSU totals
   * (one row per PSU, one column per domain and sum), then PSU totals to per-stratum sums of the totals, their squares
   * and products. Everything after that works on a table of strata x domains, whose size does not grow with the
   * number of respondents. The linearised variance of a ratio needs no more: with PSU totals {@code X_hj = sum w},
   * {@code Y_hj = sum w*y} of the domain, {@code sum_j (z_hj - zbar_h)^2 * W^2 = (SYY - 2R SXY + R^2 SXX) -
   * (SY - R SX)^2 / n_h}, and the per-stratum sums add up over regions to any NUTS level.
   */
  public Estimates estimate(Dataset<Row> participation) {
    List<Domain> domains = domains();
    Column hasDesign = col("stratum").isNotNull().and(col("psu").isNotNull());
    Dataset<Row> people = participation.select(
        col("survey"), col("year"), col("region_code"), col("weight").as("w"), col("age"), col("sex"),
        col("education_level"), col("labour_status"),
        coalesce(col("stratum"), lit("__single_stratum__")).as("stratum"),
        when(hasDesign, col("psu")).otherwise(col("respondent_id")).as("psu"), hasDesign.as("design"),
        when(col("formal"), col("weight")).otherwise(0.0).as("wy_formal"),
        when(col("non_formal"), col("weight")).otherwise(0.0).as("wy_non_formal"),
        when(col("formal").or(col("non_formal")), col("weight")).otherwise(0.0).as("wy_any"),
        when(col("informal"), col("weight")).otherwise(0.0).as("wy_informal"));

    // Per respondent and domain: n (0/1), x = w, y_m = w*y_m, as columns d<i>_n, d<i>_x, d<i>_<m>.
    // The names of those columns, summed per PSU next.
    List<Column> perRow = new ArrayList<>();
    List<String> sums = new ArrayList<>();
    for (int i = 0; i < domains.size(); i++) {
      Column member = domains.get(i).member();
      sums.add(tag(i) + "_n");
      perRow.add(when(member, 1L).otherwise(0L).as(tag(i) + "_n"));
      sums.add(tag(i) + "_x");
      perRow.add(when(member, col("w")).otherwise(0.0).as(tag(i) + "_x"));
      for (String m : MEASURES) {
        sums.add(tag(i) + "_" + m);
        perRow.add(when(member, col("wy_" + m)).otherwise(0.0).as(tag(i) + "_" + m));
      }
    }
    List<Column> keep = new ArrayList<>(List.of(col("survey"), col("year"), col("region_code"), col("stratum"),
        col("psu"), col("design")));
    keep.addAll(perRow);
    Dataset<Row> rows = people.select(keep.toArray(new Column[0]));

    // PSU totals. A PSU is identified by survey, year, stratum, psu and NUTS 2 region: survey designs nest PSUs in
    // regional strata, and a PSU id reused in two regions counts as two PSUs. Without design columns each respondent
    // is its own PSU. Only fixed-width sums: a string aggregate (min, first) would turn Spark's hash aggregation into
    // a sort-based one, measured 3x slower.
    List<Column> psuAgg = new ArrayList<>();
    sums.forEach(s -> psuAgg.add(sum(s).as(s)));
    Dataset<Row> psus = rows
        .groupBy(col("survey"), col("year"), col("design"), col("stratum"), col("psu"), col("region_code"))
        .agg(psuAgg.get(0), psuAgg.subList(1, psuAgg.size()).toArray(new Column[0]));

    // Per stratum and NUTS 2 region: PSU count and, per domain, the sums of the totals, their squares and products.
    List<Column> strataAgg = new ArrayList<>(List.of(count(lit(1)).as("n_psu")));
    for (int i = 0; i < domains.size(); i++) {
      String t = tag(i);
      Column x = col(t + "_x");
      strataAgg.add(sum(t + "_n").as(t + "_n"));
      strataAgg.add(sum(when(col(t + "_n").gt(0), 1L).otherwise(0L)).as(t + "_k"));
      strataAgg.add(sum(x).as(t + "_sx"));
      strataAgg.add(sum(x.multiply(x)).as(t + "_sxx"));
      for (String m : MEASURES) {
        Column y = col(t + "_" + m);
        strataAgg.add(sum(y).as(t + "_sy_" + m));
        strataAgg.add(sum(x.multiply(y)).as(t + "_sxy_" + m));
        strataAgg.add(sum(y.multiply(y)).as(t + "_syy_" + m));
      }
    }
    Dataset<Row> strata = psus.groupBy(col("survey"), col("year"), col("design"), col("stratum"), col("region_code"))
        .agg(strataAgg.get(0), strataAgg.subList(1, strataAgg.size()).toArray(new Column[0]))
        .localCheckpoint();

    Dataset<Row> perStratum = strata.groupBy("survey", "year", "design", "stratum").agg(sum("n_psu").as("n_h"));
    long lonely = perStratum.filter(col("n_h").equalTo(1)).count();

    // Long form: one row per stratum, NUTS 2 region and domain; then per configured NUTS level.
    List<Column> perDomain = new ArrayList<>();
    for (int i = 0; i < domains.size(); i++) {
      String t = tag(i);
      List<Column> f = new ArrayList<>(List.of(lit(domains.get(i).breakdown()).as("breakdown"),
          lit(domains.get(i).value()).as("breakdown_value"), col(t + "_n").as("n"), col(t + "_k").as("k"),
          col(t + "_sx").as("sx"), col(t + "_sxx").as("sxx")));
      for (String m : MEASURES) {
        f.add(col(t + "_sy_" + m).as("sy_" + m));
        f.add(col(t + "_sxy_" + m).as("sxy_" + m));
        f.add(col(t + "_syy_" + m).as("syy_" + m));
      }
      perDomain.add(struct(f.toArray(new Column[0])));
    }
    List<Column> levelRegions = new ArrayList<>();
    for (int level : levels) {
      Column region = level == 2 ? col("region_code") : substring(col("region_code"), 1, level + 2);
      levelRegions.add(struct(lit(level).as("nuts_level"), region.as("region")));
    }
    List<Column> stratumLevelCols = new ArrayList<>(List.of(col("survey"), col("year"), col("design"),
        col("stratum"), col("l.nuts_level").as("nuts_level"), col("l.region").as("region_code"),
        col("d.breakdown").as("breakdown"), col("d.breakdown_value").as("breakdown_value")));
    List<String> additive = new ArrayList<>(List.of("n", "k", "sx", "sxx"));
    for (String m : MEASURES) {
      additive.addAll(List.of("sy_" + m, "sxy_" + m, "syy_" + m));
    }
    additive.forEach(a -> stratumLevelCols.add(col("d." + a).as(a)));
    String[] domainKey = {"survey", "year", "nuts_level", "region_code", "breakdown", "breakdown_value"};
    List<Column> additiveSums = additive.stream().map(a -> sum(a).as(a)).toList();
    // A stratum may hold several NUTS 2 regions of one NUTS 1 region: sum its parts per level first.
    Dataset<Row> stratumDomain = strata
        .withColumn("d", explode(array(perDomain.toArray(new Column[0]))))
        .withColumn("l", explode(array(levelRegions.toArray(new Column[0]))))
        .select(stratumLevelCols.toArray(new Column[0]))
        .groupBy(cols(append(domainKey, "design", "stratum")))
        .agg(additiveSums.get(0), additiveSums.subList(1, additiveSums.size()).toArray(new Column[0]))
        .join(broadcast(perStratum.select("survey", "year", "design", "stratum", "n_h")),
            Seqs.of("survey", "year", "design", "stratum"))
        .localCheckpoint();

    List<Column> totals = new ArrayList<>(List.of(sum("n").as("n"), sum("sx").as("w_sum"),
        max(col("design")).as("design_based")));
    for (String m : MEASURES) {
      totals.add(sum("sy_" + m).as("wy_" + m));
    }
    Dataset<Row> domainTotals = stratumDomain.groupBy(cols(domainKey))
        .agg(totals.get(0), totals.subList(1, totals.size()).toArray(new Column[0]))
        .filter(col("n").gt(0));

    List<Column> varAgg = new ArrayList<>();
    for (String m : MEASURES) {
      Column r = col("wy_" + m).divide(col("w_sum"));
      Column ss = col("syy_" + m).minus(lit(2).multiply(r).multiply(col("sxy_" + m)))
          .plus(r.multiply(r).multiply(col("sxx")));
      Column s1 = col("sy_" + m).minus(r.multiply(col("sx")));
      Column contribution = when(col("n_h").gt(1), col("n_h").divide(col("n_h").minus(1))
          .multiply(ss.minus(s1.multiply(s1).divide(col("n_h"))))).otherwise(0.0);
      varAgg.add(sum(contribution).divide(col("w_sum").multiply(col("w_sum"))).as("var_" + m));
    }
    // Design degrees of freedom of the cell: PSUs with members minus strata with members (at least 1).
    varAgg.add(greatest(lit(1L), sum("k").minus(sum(when(col("k").gt(0), 1L).otherwise(0L)))).as("design_df"));
    List<String> totalCols = new ArrayList<>(List.of("n", "w_sum", "design_based"));
    for (String m : MEASURES) {
      totalCols.add("wy_" + m);
    }
    Dataset<Row> variances = stratumDomain.drop("n").join(domainTotals, Seqs.of(domainKey))
        .groupBy(cols(append(domainKey, totalCols.toArray(new String[0]))))
        .agg(varAgg.get(0), varAgg.subList(1, varAgg.size()).toArray(new Column[0]));

    List<Column> perMeasure = new ArrayList<>();
    for (String m : MEASURES) {
      perMeasure.add(struct(lit(m).as("measure"), col("wy_" + m).as("wy"), col("var_" + m).as("var")));
    }
    Dataset<Row> longForm = variances.withColumn("m", explode(array(perMeasure.toArray(new Column[0]))))
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
