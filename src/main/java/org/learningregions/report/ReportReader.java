package org.learningregions.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.learningregions.LearningRegionsException;
import org.learningregions.lake.LakeSnapshot;
import org.learningregions.lake.Tables;

/**
 * Reads {@link ReportData} from the gold tables. Ranks, peer groups and before/after means are window and group
 * operations in Spark; only their results, bounded by regions x years, are collected.
 */
final class ReportReader {
  /** Survey cells below the reliability threshold leave the lakehouse with no value and no count. */
  private static final List<String> SUPPRESSED_VALUES = List.of("n", "weighted_participants", "weighted_population",
      "rate", "se", "ci_low", "ci_high", "deff", "design_df");

  private final LakeSnapshot lake;
  private final int peerGroups;
  private final String headlineModel;

  ReportReader(LakeSnapshot lake, int peerGroups, String headlineModel) {
    this.lake = lake;
    this.peerGroups = peerGroups;
    this.headlineModel = headlineModel;
  }

  ReportData read() {
    if (!lake.exists(Tables.MODEL_RUNS)) {
      throw LearningRegionsException.failure("no model runs in the lakehouse yet: run `fit` (or `pipeline`) first");
    }
    // About a hundred small Spark jobs, each bound by driver latency (Delta snapshot, planning, scheduling) rather
    // than by data: independent queries run concurrently, and each gold table is read from Delta once.
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "report-read");
      t.setDaemon(true);
      return t;
    });
    try {
      CompletableFuture<Dataset<Row>> panelF = async(pool, () -> lake.read(Tables.ANALYSIS_PANEL).localCheckpoint());
      CompletableFuture<Dataset<Row>> ratesF = async(pool, () -> lake.exists(Tables.LEARNING_RATES)
          ? blankSuppressed(lake.read(Tables.LEARNING_RATES)).filter(col("measure").equalTo("any"))
              .select("survey", "region_code", "nuts_level", "year", "breakdown", "breakdown_value", "n", "rate",
                  "se", "ci_low", "ci_high", "deff", "design_df", "reliability", "method", "ci_method")
              .localCheckpoint()
          : null);
      CompletableFuture<Dataset<Row>> runsF = async(pool, () -> lake.read(Tables.MODEL_RUNS)
          .withColumn("__r", row_number().over(Window.partitionBy("model_name").orderBy(col("fitted_at").desc())))
          .filter(col("__r").equalTo(1)).drop("__r").orderBy("model_name").localCheckpoint());
      // Inference only: elastic-net estimates (se_type none) are shrunk predictions without intervals.
      CompletableFuture<List<Row>> coefficientsF = runsF.thenApplyAsync(runs -> lake.read(Tables.MODEL_COEFFICIENTS)
          .filter(col("se_type").notEqual("none"))
          .join(runs.select("run_id", "n_obs", "n_clusters"), "run_id")
          .orderBy("model_name", "term").collectAsList(), pool);
      CompletableFuture<List<Row>> sourcesF = async(pool, () -> lake.read(Tables.REGIONAL_INDICATOR)
          .groupBy("source_dataset", "source_file").agg(count(lit(1)).as("observations"),
              min("year").as("first_year"), max("year").as("last_year"), max("ingest_run_id").as("ingest_run_id"))
          .orderBy("source_dataset", "source_file").collectAsList());
      CompletableFuture<Dataset<Row>> coverageF = async(pool, () -> lake.read(Tables.PANEL_COVERAGE).localCheckpoint());
      CompletableFuture<Row> comparisonF = async(pool, () -> !lake.exists(Tables.LEARNING_RATE_COMPARISON) ? null
          : lake.read(Tables.LEARNING_RATE_COMPARISON)
              .filter("sex = 'T' and survey_rate is not null and official_rate is not null")
              .agg(count(lit(1)).as("cells"), avg(col("official_within_ci").cast("double")).as("share_within"),
                  avg("abs_difference_pp").as("mean_abs_pp"))
              .head());

      Dataset<Row> panel = panelF.join();
      CompletableFuture<Row> factsF = async(pool, () -> panel.agg(count(lit(1)).as("rows"),
          countDistinct("region_code").as("regions"), countDistinct("country").as("countries"),
          min("year").as("first_year"), max("year").as("last_year")).head());
      CompletableFuture<List<Row>> countriesF = async(pool, () -> panel.groupBy("country")
          .agg(countDistinct("region_code").as("regions"), min("year").as("first_year"), max("year").as("last_year"))
          .orderBy("country").collectAsList());
      CompletableFuture<List<Row>> trendsF = async(pool, () -> panel.filter(col("learning_rate").isNotNull())
          .groupBy("country", "year")
          .agg(avg("learning_rate").as("mean_learning_rate"), countDistinct("region_code").as("regions"))
          .orderBy("country", "year").collectAsList());
      CompletableFuture<List<Row>> cityComparisonF = async(pool, () -> cityComparison(panel).collectAsList());
      CompletableFuture<List<Row>> citiesF = async(pool, () -> !lake.exists(Tables.LEARNING_CITY_REGISTRY)
          ? List.<Row>of()
          : lake.read(Tables.LEARNING_CITY_REGISTRY)
              .join(panel.select(col("region_code").as("panel_region"), col("region_name")).distinct(),
                  col("region_code").startsWith(col("panel_region")), "left")
              .transform(c -> withWhyMissing(c, panel))
              .select("city", "country", "region_code", "region_scheme", "year_joined", "panel_region", "region_name",
                  "why_missing")
              .orderBy("country", "city").collectAsList());
      Dataset<Row> rates = ratesF.join();
      Dataset<Row> panelRows = withSurveyIntervals(panel, rates).localCheckpoint();
      CompletableFuture<List<Row>> panelListF = async(pool, () -> panelRows.orderBy("country", "region_code", "year")
          .collectAsList());
      CompletableFuture<List<Row>> profilesF = async(pool, () -> profiles(panelRows).collectAsList());
      CompletableFuture<List<Row>> reliabilityF = async(pool, () -> rates == null ? List.<Row>of()
          : rates.groupBy("breakdown", "reliability").agg(count(lit(1)).as("cells"))
              .orderBy("breakdown", "reliability").collectAsList());
      CompletableFuture<List<Row>> ratesListF = async(pool, () -> rates == null ? List.<Row>of()
          : rates.orderBy("survey", "nuts_level", "region_code", "year", "breakdown", "breakdown_value")
              .collectAsList());
      Dataset<Row> coverage = coverageF.join();
      CompletableFuture<List<Row>> reasonsF = async(pool, () -> coverage
          .withColumn("reason", explode(split(col("reasons"), ";")))
          .groupBy("reason").agg(count(lit(1)).as("region_years")).orderBy(col("region_years").desc(), col("reason"))
          .collectAsList());
      CompletableFuture<List<Row>> coverageListF = async(pool, () -> coverage.orderBy("region_code", "year")
          .collectAsList());
      List<Row> runs = runsF.join().collectAsList();
      CompletableFuture<ModelResiduals.Result> residualsF = async(pool, () -> residuals(panel, runs,
          coefficientsF.join()));
      CompletableFuture<List<Row>> indexF = async(pool, () -> !lake.exists(Tables.LEARNING_INDEX) ? List.<Row>of()
          : lake.read(Tables.LEARNING_INDEX).orderBy("rank", "region_code").collectAsList());
      CompletableFuture<List<Row>> sensitivityF = async(pool, () -> !lake.exists(Tables.LEARNING_INDEX_SENSITIVITY)
          ? List.<Row>of() : lake.read(Tables.LEARNING_INDEX_SENSITIVITY).orderBy(col("total_effect").desc())
              .collectAsList());
      CompletableFuture<List<Row>> dataSourcesF = async(pool, () -> dataSources(panel));
      CompletableFuture<List<Row>> tl2F = async(pool, () -> !lake.exists(Tables.ANALYSIS_PANEL_TL2) ? List.<Row>of()
          : latestLearning(lake.read(Tables.ANALYSIS_PANEL_TL2)).collectAsList());
      return new ReportData(runs, coefficientsF.join(), factsF.join(),
          lake.version(Tables.ANALYSIS_PANEL), countriesF.join(), sourcesF.join(), panelListF.join(),
          profilesF.join(), reliabilityF.join(), reasonsF.join(), citiesF.join(), cityComparisonF.join(),
          comparisonF.join(), ratesListF.join(), coverageListF.join(), trendsF.join(), residualsF.join(),
          indexF.join(), sensitivityF.join(), dataSourcesF.join(), tl2F.join());
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The headline model's residuals, when it was fitted on the analysis panel. */
  private ModelResiduals.Result residuals(Dataset<Row> panel, List<Row> runs, List<Row> coefficients) {
    for (Row run : runs) {
      if (headlineModel.equals(run.getAs("model_name"))
          && Tables.ANALYSIS_PANEL.toString().equals(run.getAs("input"))) {
        java.util.Map<String, Double> b = new java.util.LinkedHashMap<>();
        for (Row c : coefficients) {
          if (headlineModel.equals(c.getAs("model_name"))) {
            b.put(c.getAs("term"), c.getAs("estimate"));
          }
        }
        return ModelResiduals.of(panel, run, b);
      }
    }
    return null;
  }

  /** Each region's latest panel year with a learning rate, with what the maps need to show and flag it. */
  private static Dataset<Row> latestLearning(Dataset<Row> panel) {
    return panel.filter(col("learning_rate").isNotNull())
        .withColumn("__r", row_number().over(Window.partitionBy("region_code").orderBy(col("year").desc())))
        .filter(col("__r").equalTo(1))
        .select("region_code", "region_name", "year", "learning_rate", "learning_source", "learning_flag",
            "learning_rate_microdata_reliability")
        .orderBy("region_code");
  }

  private static <T> CompletableFuture<T> async(ExecutorService pool, Supplier<T> query) {
    return CompletableFuture.supplyAsync(query, pool);
  }

  /** Survey rates as they may leave the lakehouse: suppressed cells keep their key and reliability only. */
  static Dataset<Row> blankSuppressed(Dataset<Row> rates) {
    Column suppressed = col("reliability").equalTo(ReportTable.SUPPRESSED);
    Dataset<Row> out = rates;
    for (String c : SUPPRESSED_VALUES) {
      out = out.withColumn(c, when(suppressed, lit(null)).otherwise(col(c)));
    }
    return out;
  }

  /** The panel with the survey's 95% interval of the total rate (the survey the panel uses: max_by survey). */
  private static Dataset<Row> withSurveyIntervals(Dataset<Row> panel, Dataset<Row> rates) {
    Dataset<Row> base = panel.select("region_code", "region_name", "country", "year", "learning_rate",
        "learning_source", "learning_flag", "learning_rate_microdata", "learning_rate_microdata_se",
        "learning_rate_microdata_reliability", "productivity_eur", "log_productivity_eur", "learning_city",
        "learning_city_names", "learning_city_since", "learning_city_member");
    if (rates == null) {
      return base.withColumn("survey_ci_low", lit(null).cast("double"))
          .withColumn("survey_ci_high", lit(null).cast("double"));
    }
    Dataset<Row> ci = rates.filter(col("breakdown").equalTo("total"))
        .groupBy(col("region_code").as("ci_region"), col("year").as("ci_year"))
        .agg(expr("max_by(ci_low, survey)").as("survey_ci_low"), expr("max_by(ci_high, survey)").as("survey_ci_high"));
    return base.join(ci, col("region_code").equalTo(col("ci_region")).and(col("year").equalTo(col("ci_year"))), "left")
        .drop("ci_region", "ci_year");
  }

  /**
   * One row per region at its latest panel year: its rank by learning rate among the regions of its country, and
   * among its productivity peers (the regions in the same productivity {@code ntile} of that year).
   */
  private Dataset<Row> profiles(Dataset<Row> panel) {
    Dataset<Row> latest = panel.filter(col("learning_rate").isNotNull())
        .withColumn("__r", row_number().over(Window.partitionBy("region_code").orderBy(col("year").desc())))
        .filter(col("__r").equalTo(1)).drop("__r");
    Dataset<Row> ranked = latest
        .withColumn("rank_in_country", rank().over(Window.partitionBy("country", "year")
            .orderBy(col("learning_rate").desc())))
        .withColumn("regions_in_country", count(lit(1)).over(Window.partitionBy("country", "year")))
        .withColumn("peer_group", ntile(peerGroups).over(Window.partitionBy("year")
            .orderBy(coalesce(col("productivity_eur"), lit(0.0)))))
        .withColumn("rank_among_peers", rank().over(Window.partitionBy("year", "peer_group")
            .orderBy(col("learning_rate").desc())))
        .withColumn("peers", count(lit(1)).over(Window.partitionBy("year", "peer_group")));
    return ranked.select("region_code", "region_name", "country", "year", "learning_rate", "learning_flag",
            "learning_source", "learning_rate_microdata_reliability", "productivity_eur", "rank_in_country",
            "regions_in_country", "peer_group", "rank_among_peers", "peers", "learning_city_names",
            "learning_city_since")
        .orderBy("country", "region_code");
  }

  /**
   * Why a registry city's region is not in the panel, in words: not a NUTS region; its country's regions in the input
   * predate a boundary change (the old codes quarantined as nuts_boundary_change are named); no data for its
   * country; or not in the panel for the reasons gold.panel_coverage gives.
   */
  private Dataset<Row> withWhyMissing(Dataset<Row> cities, Dataset<Row> panel) {
    Dataset<Row> countries = panel.select(col("country").as("panel_country")).distinct();
    Dataset<Row> changed = lake.exists(Tables.Q_REGIONAL_INDICATOR)
        ? lake.read(Tables.Q_REGIONAL_INDICATOR).filter(col("reason").equalTo("nuts_boundary_change"))
            .select(regexp_extract(col("detail"), "geo= (\\S+)", 1).as("old_code"))
            .withColumn("changed_country", substring(col("old_code"), 1, 2))
            .groupBy("changed_country").agg(concat_ws(", ", sort_array(collect_set("old_code"))).as("old_codes"))
        : panel.sparkSession().emptyDataFrame().select(lit(null).cast("string").as("changed_country"),
            lit(null).cast("string").as("old_codes"));
    // What the input holds for a city's region outside NUTS (OECD TL2 codes: AU2, KR01, ME09...), per series.
    Dataset<Row> codes = cities.filter(col("region_scheme").notEqual("NUTS2021")).select(col("region_code")
        .as("h_code")).distinct();
    Dataset<Row> held = lake.read(Tables.REGIONAL_INDICATOR).filter(col("value").isNotNull())
        .join(org.apache.spark.sql.functions.broadcast(codes), col("region_code").equalTo(col("h_code")))
        .groupBy("h_code", "indicator", "source_dataset").agg(min("year").as("y0"), max("year").as("y1"))
        .groupBy("h_code").agg(concat_ws("; ", sort_array(org.apache.spark.sql.functions.collect_list(concat(
            col("indicator"), lit(" ("), col("source_dataset"), lit(", "), col("y0").cast("string"), lit("-"),
            col("y1").cast("string"), lit(")"))))).as("held"));
    Column cc = substring(col("region_code"), 1, 2);
    return cities.join(countries, cc.equalTo(col("panel_country")), "left")
        .join(changed, cc.equalTo(col("changed_country")), "left")
        .join(held, col("region_code").equalTo(col("h_code")), "left")
        .withColumn("why_missing", when(col("panel_region").isNotNull(), lit(null).cast("string"))
            .when(col("region_scheme").notEqual("NUTS2021").and(col("held").isNotNull()), concat(
                lit("not a NUTS region ("), col("region_code"), lit("): the input holds only "), col("held"),
                lit("; no regional GDP or learning rate")))
            .when(col("region_scheme").notEqual("NUTS2021"), concat(lit("not a NUTS region ("),
                col("region_code"), lit("): no data for it in the input")))
            .when(col("old_codes").isNotNull(), concat(lit("no data under its NUTS 2021 code: the input's regions of "
                + "this country predate a NUTS boundary change, and their values ("), col("old_codes"),
                lit(") cannot be carried to the new regions (quarantined as nuts_boundary_change)")))
            .when(col("panel_country").isNull(), lit("no data for its country in this run"))
            .otherwise(lit("region in the data but not in the panel: see panel coverage for its reasons")))
        .drop("h_code", "held");
  }

  /**
   * Region-years per (series, "dataset (vintage)") for the learning rate, GDP and employment, most first within each
   * series, in one pass over the panel; panels written before these columns existed have none.
   */
  private static List<Row> dataSources(Dataset<Row> panel) {
    List<String> columns = java.util.Arrays.asList(panel.columns());
    Dataset<Row> sources = null;
    for (String[] s : new String[][] {{"learning", "learning_rate_official_source"}, {"gdp", "gdp_source"},
        {"employment", "employment_source"}}) {
      if (columns.contains(s[1])) {
        Dataset<Row> one = panel.select(lit(s[0]).as("series"), col(s[1]).as("source"));
        sources = sources == null ? one : sources.union(one);
      }
    }
    if (sources == null) {
      return List.of();
    }
    return sources.groupBy("series", "source").agg(count(lit(1)).as("n"))
        .orderBy(col("series"), col("n").desc()).collectAsList();
  }

  /**
   * Mean learning rate and productivity of learning-city regions before and after their first city joined, and of
   * the other regions, over the same panel.
   */
  private static Dataset<Row> cityComparison(Dataset<Row> panel) {
    Column group = when(col("learning_city").and(col("learning_city_member")),
        lit("learning-city regions, after joining"))
        .when(col("learning_city"), lit("learning-city regions, before joining"))
        .otherwise(lit("other regions"));
    return panel.withColumn("group", group).groupBy("group")
        .agg(countDistinct("region_code").as("regions"), count(lit(1)).as("region_years"),
            avg("learning_rate").as("mean_learning_rate"), avg("productivity_eur").as("mean_productivity_eur"))
        .orderBy("group");
  }
}
