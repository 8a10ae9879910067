package org.learningregions.aggregate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;

/**
 * The {@code aggregate} stage: silver.learning_participation to gold.learning_rates, and the comparison of survey
 * estimates with official rates (gold.learning_rate_comparison).
 */
public final class AggregateStage implements Stage {
  private final AggregateSettings settings;

  public AggregateStage(AggregateSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "aggregate";
  }

  @Override
  public List<TableId> inputs() {
    return List.of(Tables.LEARNING_PARTICIPATION, Tables.REGIONAL_INDICATOR);
  }

  @Override
  public List<TableId> outputs() {
    return List.of(Tables.LEARNING_RATES, Tables.LEARNING_RATE_COMPARISON);
  }

  @Override
  public Object settings() {
    return settings;
  }

  @Override
  public StageResult run(StageContext ctx) {
    if (!ctx.lake().exists(Tables.LEARNING_PARTICIPATION)) {
      ctx.entry().note("no survey microdata ingested: gold.learning_rates not written");
      return StageResult.DONE;
    }
    Dataset<Row> all = ctx.lake().read(Tables.LEARNING_PARTICIPATION);
    // Participation in education and training is defined for adults 25-64 (Eurostat trng_lfse_*): the population
    // of every rate. Respondents outside it are counted, not used.
    Dataset<Row> participation = all.filter(col("age").between(settings.ageMin(), settings.ageMax()));
    Row counts = all.agg(count(lit(1)), sum(when(col("age").between(settings.ageMin(), settings.ageMax()), 1L)
        .otherwise(0L))).head();
    long total = counts.getLong(0);
    long inScope = counts.isNullAt(1) ? 0 : counts.getLong(1);
    ctx.entry().count("respondents_in", total);
    ctx.entry().count("respondents_in_age_scope", inScope);
    ctx.entry().count("respondents_outside_age_scope", total - inScope);
    LearningRateEstimator.Estimates est = settings.estimator().estimate(participation);
    ctx.entry().count("strata_with_one_psu", est.lonelyPsuStrata());
    ctx.entry().wrote(ctx.writer().overwrite(Tables.LEARNING_RATES, est.rates()));
    if (ctx.lake().exists(Tables.REGIONAL_INDICATOR)) {
      Dataset<Row> comparison = OfficialComparison.build(ctx.lake().read(Tables.LEARNING_RATES),
          ctx.lake().read(Tables.REGIONAL_INDICATOR), settings.officialIndicator(), settings.officialAge());
      ctx.entry().wrote(ctx.writer().overwrite(Tables.LEARNING_RATE_COMPARISON, comparison));
    }
    return StageResult.DONE;
  }
}
