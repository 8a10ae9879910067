package org.learningregions.ingest;

/** Input formats recognised from a file's content (never from its extension alone). */
public enum SourceFormat {
  /** Eurostat bulk TSV: first cell {@code dim1,dim2,geo\TIME_PERIOD} (or {@code geo\time}), one column per year. */
  EUROSTAT_TSV,
  /** SDMX-CSV,
      long format: Eurostat ({@code DATAFLOW,LAST UPDATE,...}) or OECD Data Explorer ({@code STRUCTURE,...}). */
  SDMX_CSV,
  /** OECD.Stat CSV export (before the OECD Data Explorer): code/label column pairs, Value, Flag Codes; Latin-1. */
  OECD_STAT_CSV,
  /** Survey microdata CSV, one respondent per line, columns as in silver.learning_participation (or mapped). */
  MICRODATA_CSV,
  /** Survey microdata as a Parquet file, columns as in silver.learning_participation (or mapped). */
  MICRODATA_PARQUET,
  /** Learning-city registry CSV: {@code city,country,region_code,year_joined,source}. */
  REGISTRY_CSV;

  /** Published statistics, read into silver.regional_indicator. */
  public boolean isStatistical() {
    return this == EUROSTAT_TSV || this == SDMX_CSV || this == OECD_STAT_CSV;
  }

  /** Survey microdata, read into silver.learning_participation. */
  public boolean isMicrodata() {
    return this == MICRODATA_CSV || this == MICRODATA_PARQUET;
  }
}
