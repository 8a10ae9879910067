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

  /**
   * The columns Delta keeps file statistics on (minimum, maximum, null count) in the tables that grow with the
   * input, set when such a table is created: the columns reads filter on. Delta's default, the first 32 columns,
   * made every write compute the minimum and maximum of each raw line and of every string dimension, statistics no
   * read uses (the files of these tables are cut by source file, so a file's range of regions or years skips
   * nothing). Measured on a 2.5-million-cell bulk TSV: the silver write 12.1 and 13.5 s with statistics on every
   * column, 9.0 and 7.2 s with none. Tables created before keep the statistics they had; gold and meta tables are
   * small and keep Delta's default.
   */
  public static String statsColumns(TableId table) {
    return switch (table.layer()) {
      case "bronze" -> "line_no";
      case "quarantine" -> "reason,line_no";
      case "silver" -> table.equals(REGIONAL_INDICATOR) ? "indicator,region_code,year"
          : table.equals(LEARNING_PARTICIPATION) ? "survey,year,region_code" : null;
      default -> null;
    };
  }
}
