package org.learningregions.panel;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;

/**
 * The {@code build-panel} stage: silver indicators, gold rates and the learning-city registry to
 * gold.analysis_panel, gold.panel_coverage and gold.analysis_long_difference.
 */
public final class PanelStage implements Stage {
  private final PanelSettings settings;

  public PanelStage(PanelSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "build-panel";
  }

  @Override
  public List<TableId> inputs() {
    return List.of(Tables.REGIONAL_INDICATOR, Tables.LEARNING_RATES, Tables.LEARNING_CITY_REGISTRY);
  }

  @Override
  public List<TableId> outputs() {
    return List.of(Tables.ANALYSIS_PANEL, Tables.PANEL_COVERAGE, Tables.ANALYSIS_LONG_DIFFERENCE);
  }

  @Override
  public Object settings() {
    return settings;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Dataset<Row> indicators = ctx.lake().read(Tables.REGIONAL_INDICATOR);
    Dataset<Row> rates = ctx.lake().exists(Tables.LEARNING_RATES) ? ctx.lake().read(Tables.LEARNING_RATES) : null;
    Dataset<Row> registry = ctx.lake().exists(Tables.LEARNING_CITY_REGISTRY)
        ? ctx.lake().read(Tables.LEARNING_CITY_REGISTRY) : null;
    PanelBuilder.Panel panel = new PanelBuilder(settings).build(ctx.spark(), indicators, rates, registry);
    ctx.entry().wrote(ctx.writer().overwrite(Tables.ANALYSIS_PANEL, panel.panel()));
    ctx.entry().wrote(ctx.writer().overwrite(Tables.PANEL_COVERAGE, panel.coverage()));
    Dataset<Row> longDifference = PanelBuilder.longDifference(ctx.lake().read(Tables.ANALYSIS_PANEL),
        settings.longDifferenceMinSpan());
    ctx.entry().wrote(ctx.writer().overwrite(Tables.ANALYSIS_LONG_DIFFERENCE, longDifference));
    return StageResult.DONE;
  }
}
