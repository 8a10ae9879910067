package org.learningregions.panel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;
import org.learningregions.util.Hashing;
import org.learningregions.validate.NutsBoundaries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code build-panel} stage: silver indicators, gold rates and the learning-city registry to
 * gold.analysis_panel, gold.panel_coverage and gold.analysis_long_difference; with {@code panel.spatial.boundaries}
 * set, also gold.region_neighbours (the spatial weights, {@link Contiguity}) and the panel's spatial lags
 * ({@link SpatialLag}).
 */
public final class PanelStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger(PanelStage.class);

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
    List<TableId> out = new ArrayList<>(List.of(Tables.ANALYSIS_PANEL, Tables.PANEL_COVERAGE,
        Tables.ANALYSIS_LONG_DIFFERENCE, Tables.REGION_YEARS));
    if (settings.spatial().enabled()) {
      out.add(Tables.REGION_NEIGHBOURS);
    }
    if (settings.tl2()) {
      out.add(Tables.ANALYSIS_PANEL_TL2);
      out.add(Tables.PANEL_COVERAGE_TL2);
    }
    return out;
  }

  @Override
  public Object settings() {
    return settings;
  }

  /** The input tables' versions and, when configured, the boundaries file's SHA-256: a new file rebuilds. */
  @Override
  public Map<String, String> inputVersions(StageContext ctx) {
    Map<String, String> out = Stage.super.inputVersions(ctx);
    if (settings.spatial().enabled()) {
      out.put("file:" + settings.spatial().boundaries(), fileVersion(settings.spatial().boundaries()));
    }
    return out;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Dataset<Row> neighbours = null;
    if (settings.spatial().enabled()) {
      Contiguity contiguity = Contiguity.of(NutsBoundaries.read(settings.spatial().boundaries()));
      List<String> islands = contiguity.islands();
      ctx.entry().count("neighbour_regions", contiguity.regions().size());
      ctx.entry().count("neighbour_links", contiguity.linkCount());
      ctx.entry().count("regions_linked_by_nearest_centroid", islands.size());
      ctx.entry().note("regions without a queen neighbour, linked to the nearest centroid: " + String.join(" ",
          islands));
      ctx.entry().wrote(ctx.writer().overwrite(Tables.REGION_NEIGHBOURS, contiguity.toDataFrame(ctx.spark())));
      neighbours = ctx.lake().read(Tables.REGION_NEIGHBOURS);
    }
    Dataset<Row> indicators = ctx.lake().read(Tables.REGIONAL_INDICATOR);
    Dataset<Row> rates = ctx.lake().exists(Tables.LEARNING_RATES) ? ctx.lake().read(Tables.LEARNING_RATES) : null;
    Dataset<Row> registry = ctx.lake().exists(Tables.LEARNING_CITY_REGISTRY)
        ? ctx.lake().read(Tables.LEARNING_CITY_REGISTRY) : null;
    PanelBuilder.Panel panel = new PanelBuilder(settings).build(ctx.spark(), indicators, rates, registry, neighbours);
    if (neighbours != null && !settings.spatial().lagVariables().isEmpty()) {
      List<String> missing = panel.regionsWithoutBoundaries();
      ctx.entry().count("panel_regions_without_boundaries", missing.size());
      if (!missing.isEmpty()) {
        // One line, however many: a panel at another NUTS level or version could miss hundreds.
        String msg = missing.size() + " panel regions are not in " + settings.spatial().boundaries()
            + " (their W_ columns are null, coverage 0): " + String.join(" ", missing.subList(0,
            Math.min(missing.size(), 30))) + (missing.size() > 30 ? " ..." : "");
        LOG.warn(msg);
        ctx.entry().note(msg);
      }
    }
    ctx.entry().wrote(ctx.writer().overwrite(Tables.ANALYSIS_PANEL, panel.panel()));
    ctx.entry().wrote(ctx.writer().overwrite(Tables.PANEL_COVERAGE, panel.coverage()));
    ctx.entry().wrote(ctx.writer().overwrite(Tables.REGION_YEARS, panel.regionYears()));
    String vintages = Vintages.describe(panel.vintages());
    LOG.info("vintages read: {}", vintages);
    ctx.entry().note("vintages read: " + vintages);
    Dataset<Row> longDifference = PanelBuilder.longDifference(ctx.lake().read(Tables.ANALYSIS_PANEL),
        settings.longDifferenceMinSpan());
    ctx.entry().wrote(ctx.writer().overwrite(Tables.ANALYSIS_LONG_DIFFERENCE, longDifference));
    if (settings.tl2()) {
      // The OECD's regions: no spatial lags (the boundaries are NUTS 2 polygons), same inputs and vintages.
      PanelBuilder.Panel tl2 = new PanelBuilder(settings, settings.tl2Nuts1Countries())
          .build(ctx.spark(), indicators, rates, registry);
      ctx.entry().wrote(ctx.writer().overwrite(Tables.ANALYSIS_PANEL_TL2, tl2.panel()));
      ctx.entry().wrote(ctx.writer().overwrite(Tables.PANEL_COVERAGE_TL2, tl2.coverage()));
    }
    return StageResult.DONE;
  }

  private static String fileVersion(String location) {
    try {
      // A few hundred KB, read once per run.
      return "sha256:" + Hashing.hex(Hashing.sha256().digest(NutsBoundaries.bytes(location)));
    } catch (org.learningregions.LearningRegionsException e) {
      return "missing";
    }
  }
}
