package org.learningregions.aggregate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.RunContext;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.Tables;

/** The {@code aggregate} stage: silver.learning_participation to gold.learning_rates. */
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
        ctx.config().raw().getIntList("aggregate.levels"), AgeBand.from(ctx.config()),
        ReliabilityThresholds.from(ctx.config()), ctx.config().number("aggregate.confidence"));
    Dataset<Row> participation = ctx.lake().read(Tables.LEARNING_PARTICIPATION);
    stage.count("respondents_in", participation.count());
    LearningRateEstimator.Estimates est = estimator.estimate(participation);
    stage.count("strata_with_one_psu", est.lonelyPsuStrata());
    stage.wrote(ctx.lake().replace(Tables.LEARNING_RATES, est.rates(), LearningRateEstimator.KEY));
    stage.done();
  }
}
