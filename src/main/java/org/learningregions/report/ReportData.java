package org.learningregions.report;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * What a report shows, read from the gold tables of one lakehouse. Every list is bounded by regions x years (x
 * breakdowns for the learning rates), never by the number of respondents or input rows; the Spark work (ranks, peer
 * groups, before/after means) is done before anything reaches the driver.
 *
 * @param runs the latest run of every model spec (gold.model_runs)
 * @param coefficients their coefficients joined with n_obs and n_clusters, ordered by model and term
 * @param panelFacts rows, regions, countries, first_year, last_year of the analysis panel
 * @param panelVersion Delta version of gold.analysis_panel the report was made from
 * @param countries per country: regions, first_year, last_year
 * @param sources per source file: dataset, observations, years, ingest run id (the vintage)
 * @param panel region-years of the panel with the columns profiles and charts need, and microdata CIs where any
 * @param profiles one row per region: latest year's values, rank in country and among productivity peers
 * @param reliability survey cells by breakdown and reliability
 * @param coverageReasons region-years left out of the panel, by reason
 * @param learningCities registry entries with the panel region they fall in
 * @param cityComparison learning-city regions before and after joining, and the other regions
 * @param comparison survey vs official summary (cells, share within CI, mean absolute difference), or null
 * @param learningRates survey rates of measure "any" (suppressed cells already emptied), or an empty list
 * @param coverage gold.panel_coverage rows
 * @param countryTrends mean learning rate per country and year (country, year, mean_learning_rate, regions)
 * @param residuals the headline model's residuals by region, or null when they cannot be mapped
 * @param learningIndex gold.learning_index ordered by rank, or an empty list
 * @param indexSensitivity gold.learning_index_sensitivity, or an empty list
 * @param dataSources where the panel's values come from: (series, source "dataset (vintage)", region-years), for
 *     the learning rate, GDP and employment, most region-years first
 * @param tl2Learning each region of the OECD TL2 panel (gold.analysis_panel_tl2) in its latest year with a learning
 *     rate, or an empty list when the lakehouse has no TL2 panel
 */
public record ReportData(List<Row> runs, List<Row> coefficients, Row panelFacts, long panelVersion,
    List<Row> countries, List<Row> sources, List<Row> panel, List<Row> profiles, List<Row> reliability,
    List<Row> coverageReasons, List<Row> learningCities, List<Row> cityComparison, Row comparison,
    List<Row> learningRates, List<Row> coverage, List<Row> countryTrends, ModelResiduals.Result residuals,
    List<Row> learningIndex, List<Row> indexSensitivity, List<Row> dataSources, List<Row> tl2Learning) {

  /** The named sources of one series ("learning", "gdp", "employment"), most region-years first. */
  public List<Row> sources(String series) {
    return dataSources.stream().filter(r -> series.equals(r.getString(0)) && !r.isNullAt(1)).toList();
  }

  /** The source of most of the panel's values of one series, or null. */
  public String mainSource(String series) {
    List<Row> rows = sources(series);
    return rows.isEmpty() ? null : rows.get(0).getString(1);
  }
}
