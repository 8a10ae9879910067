package org.learningregions.aggregate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.RunContext;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.Tables;

/**
 * The {@code aggregate} stage: silver.learning_participation to gold.learning_rates, and the comparison of survey
 * estimates with official rates (gold.learning_rate_comparison).
 */
public final class AggregateStage {
  private final RunContext ctx;

  public AggregateStage(RunContext ctx) {
    this.ctx = ctx;
  }

  public void run() {
    RunManifest.Stage stage = ctx.manifest().stage("aggregate");
    if (!ctx.lake().exists(Tables.LEARNING_PARTICIPATION)) {
      stage.note("no survey microdata ingested: gold.learning_rates not written");
      stage.done();
      return;
    }
    LearningRateEstimator estimator = new LearningRateEstimator(
        ctx.config().raw().getIntList("aggregate.levels"), ctx.config().strings("aggregate.breakdowns"),
        AgeBand.from(ctx.config()),
        ReliabilityThresholds.from(ctx.config()), ctx.config().number("aggregate.confidence"));
    Dataset<Row> all = ctx.lake().read(Tables.LEARNING_PARTICIPATION);
    int minAge = ctx.config().integer("aggregate.age-min");
    int maxAge = ctx.config().integer("aggregate.age-max");
    // Participation in education and training is defined for adults 25-64 (Eurostat trng_lfse_*): the population
    // of every rate. Respondents outside it are counted, not used.
    Dataset<Row> participation = all.filter(col("age").between(minAge, maxAge));
    Row counts = all.agg(count(lit(1)), sum(when(col("age").between(minAge, maxAge), 1L).otherwise(0L))).head();
    long total = counts.getLong(0);
    long inScope = counts.isNullAt(1) ? 0 : counts.getLong(1);
    stage.count("respondents_in", total);
    stage.count("respondents_in_age_scope", inScope);
    stage.count("respondents_outside_age_scope", total - inScope);
    LearningRateEstimator.Estimates est = estimator.estimate(participation);
    stage.count("strata_with_one_psu", est.lonelyPsuStrata());
    stage.wrote(ctx.lake().replace(Tables.LEARNING_RATES, est.rates(), LearningRateEstimator.KEY));
    if (ctx.lake().exists(Tables.REGIONAL_INDICATOR)) {
      Dataset<Row> comparison = OfficialComparison.build(ctx.lake().read(Tables.LEARNING_RATES),
          ctx.lake().read(Tables.REGIONAL_INDICATOR), ctx.config().string("aggregate.official.indicator"),
          ctx.config().string("aggregate.official.age"));
      stage.wrote(ctx.lake().replace(Tables.LEARNING_RATE_COMPARISON, comparison, OfficialComparison.KEY));
    }
    stage.done();
  }
}
