package org.learningregions.cli;

import org.learningregions.panel.PanelSettings;
import org.learningregions.panel.PanelStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code build-panel}: the region-year analysis panel. */
@Command(name = "build-panel", mixinStandardHelpOptions = true,
    description = "Build gold.analysis_panel (one row per region and year: productivity, learning rate and lags, "
        + "controls, learning-city flag) and gold.panel_coverage (why other region-years are missing); with "
        + "panel.spatial.boundaries set, gold.region_neighbours and the spatial lags W_<v>. Does nothing when its "
        + "inputs and settings are those the panel was built from.")
final class BuildPanelCommand extends SparkCommand {
  @Mixin
  StageOptions stage;

  @Override
  int execute(Run run) {
    run.runStage(new PanelStage(PanelSettings.from(run.config())), stage.force);
    return 0;
  }
}
