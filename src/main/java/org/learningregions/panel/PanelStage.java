package org.learningregions.panel;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.RunContext;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.Tables;

/** The {@code build-panel} stage: silver indicators and gold rates to gold.analysis_panel, gold.panel_coverage
 * and gold.analysis_long_difference. */
public final class PanelStage {
  private final RunContext ctx;

  public PanelStage(RunContext ctx) {
    this.ctx = ctx;
  }

  public void run() {
    RunManifest.Stage stage = ctx.manifest().stage("build-panel");
    PanelBuilder builder = new PanelBuilder(ctx.config().integer("panel.nuts-level"),
        ctx.config().string("panel.learning-source"), ctx.config().integer("panel.lags"),
        ctx.config().section("panel.inputs"));
    Dataset<Row> indicators = ctx.lake().read(Tables.REGIONAL_INDICATOR);
    Dataset<Row> rates = ctx.lake().exists(Tables.LEARNING_RATES) ? ctx.lake().read(Tables.LEARNING_RATES) : null;
    Dataset<Row> registry = ctx.lake().exists(Tables.LEARNING_CITY_REGISTRY)
        ? ctx.lake().read(Tables.LEARNING_CITY_REGISTRY) : null;
    PanelBuilder.Panel panel = builder.build(ctx.spark(), indicators, rates, registry);
    stage.wrote(ctx.lake().replace(Tables.ANALYSIS_PANEL, panel.panel(), PanelBuilder.KEY));
    stage.wrote(ctx.lake().replace(Tables.PANEL_COVERAGE, panel.coverage(), PanelBuilder.KEY));
    Dataset<Row> longDifference = PanelBuilder.longDifference(ctx.lake().read(Tables.ANALYSIS_PANEL),
        ctx.config().integer("panel.long-difference-min-span"));
    stage.wrote(ctx.lake().replace(Tables.ANALYSIS_LONG_DIFFERENCE, longDifference, List.of("region_code")));
    stage.done();
  }
}
