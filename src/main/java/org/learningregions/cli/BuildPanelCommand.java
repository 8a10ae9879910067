package org.learningregions.cli;

import org.learningregions.RunContext;
import org.learningregions.panel.PanelStage;
import picocli.CommandLine.Command;

/** {@code build-panel}: the region-year analysis panel. */
@Command(name = "build-panel", mixinStandardHelpOptions = true,
    description = "Build gold.analysis_panel (one row per region and year: productivity, learning rate and lags, "
        + "controls, learning-city flag) and gold.panel_coverage (why other region-years are missing).")
final class BuildPanelCommand extends SparkCommand {
  @Override
  int execute(RunContext ctx) {
    new PanelStage(ctx).run();
    return 0;
  }
}
