package org.learningregions.lake;

/** Names of every lakehouse table the pipeline writes, in one place. */
public final class Tables {
  private Tables() {}

  public static final TableId BRONZE_EUROSTAT = TableId.bronze("eurostat_tsv");
  public static final TableId BRONZE_SDMX = TableId.bronze("sdmx_csv");
  public static final TableId BRONZE_MICRODATA = TableId.bronze("microdata");
  public static final TableId BRONZE_REGISTRY = TableId.bronze("learning_city_registry");

  public static final TableId REGIONAL_INDICATOR = TableId.silver("regional_indicator");
  public static final TableId LEARNING_PARTICIPATION = TableId.silver("learning_participation");
  public static final TableId LEARNING_CITY_REGISTRY = TableId.silver("learning_city_registry");

  public static final TableId Q_REGIONAL_INDICATOR = TableId.quarantine("regional_indicator");
  public static final TableId Q_LEARNING_PARTICIPATION = TableId.quarantine("learning_participation");
  public static final TableId Q_LEARNING_CITY_REGISTRY = TableId.quarantine("learning_city_registry");

  public static final TableId LEARNING_RATES = TableId.gold("learning_rates");
  public static final TableId LEARNING_RATE_COMPARISON = TableId.gold("learning_rate_comparison");
  public static final TableId ANALYSIS_PANEL = TableId.gold("analysis_panel");
  public static final TableId PANEL_COVERAGE = TableId.gold("panel_coverage");
  /** The panel of the OECD's TL2 regions (panel.tl2), and its coverage. */
  public static final TableId ANALYSIS_PANEL_TL2 = TableId.gold("analysis_panel_tl2");
  public static final TableId PANEL_COVERAGE_TL2 = TableId.gold("panel_coverage_tl2");
  /** Every region-year with any input, in the panel or not, with the panel's columns: what the index reads. */
  public static final TableId REGION_YEARS = TableId.gold("region_years");
  public static final TableId ANALYSIS_LONG_DIFFERENCE = TableId.gold("analysis_long_difference");
  public static final TableId REGION_NEIGHBOURS = TableId.gold("region_neighbours");
  public static final TableId LEARNING_INDEX = TableId.gold("learning_index");
  public static final TableId LEARNING_INDEX_AUDIT = TableId.gold("learning_index_audit");
  public static final TableId LEARNING_INDEX_SENSITIVITY = TableId.gold("learning_index_sensitivity");
  public static final TableId MODEL_RUNS = TableId.gold("model_runs");
  public static final TableId MODEL_COEFFICIENTS = TableId.gold("model_coefficients");

  /** One row per source file name: what was ingested from it, when, and which Delta versions that wrote. */
  public static final TableId INGESTED_FILES = TableId.meta("ingested_files");
  /** One row per stage: the input versions and settings fingerprint its outputs were computed from. */
  public static final TableId STAGE_STATE = TableId.meta("stage_state");
}
