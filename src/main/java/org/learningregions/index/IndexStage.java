package org.learningregions.index;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;

/**
 * The {@code index} stage: a composite learning-region index from indicator columns of gold.region_years (the
 * panel's columns for every region-year with data, whether or not it has the productivity the models need), for the
 * latest year in which every indicator passes the coverage rule, built the nominal way and then under every
 * configured alternative by Monte Carlo ({@link UncertaintyAnalysis}): gold.learning_index (scores, pillar scores,
 * nominal rank, median rank and its 5th-95th percentile interval), gold.learning_index_audit (coverage decisions,
 * correlations, Cronbach's alpha, principal-component eigenvalues, indicators that correlate negatively with their
 * pillar) and gold.learning_index_sensitivity (Sobol indices of each choice on the mean absolute rank shift). The
 * region x indicator matrix of one year is bounded by the number of regions; the draws run on Spark.
 */
public final class IndexStage implements Stage {
  static final StructType INDEX = new StructType()
      .add("region_code", DataTypes.StringType)
      .add("region_name", DataTypes.StringType)
      .add("country", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("score", DataTypes.DoubleType)
      .add("rank", DataTypes.IntegerType)
      .add("rank_median", DataTypes.DoubleType)
      .add("rank_p05", DataTypes.DoubleType)
      .add("rank_p95", DataTypes.DoubleType)
      .add("regions_ranked", DataTypes.IntegerType)
      .add("coverage", DataTypes.DoubleType)
      .add("pillar_scores", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
      .add("method", DataTypes.StringType)
      .add("draws", DataTypes.IntegerType)
      .add("imputed", DataTypes.IntegerType);
  static final StructType AUDIT = new StructType()
      .add("year", DataTypes.IntegerType)
      .add("check", DataTypes.StringType)
      .add("subject", DataTypes.StringType)
      .add("other", DataTypes.StringType)
      .add("value", DataTypes.DoubleType)
      .add("note", DataTypes.StringType);
  static final StructType SENSITIVITY = new StructType()
      .add("year", DataTypes.IntegerType)
      .add("factor", DataTypes.StringType)
      .add("first_order", DataTypes.DoubleType)
      .add("total_effect", DataTypes.DoubleType)
      .add("output", DataTypes.StringType)
      .add("output_variance", DataTypes.DoubleType)
      .add("draws", DataTypes.IntegerType);

  private final IndexSettings settings;

  public IndexStage(IndexSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "index";
  }

  @Override
  public List<TableId> inputs() {
    return List.of(Tables.REGION_YEARS);
  }

  @Override
  public List<TableId> outputs() {
    return settings.indicators().isEmpty() ? List.of()
        : List.of(Tables.LEARNING_INDEX, Tables.LEARNING_INDEX_AUDIT, Tables.LEARNING_INDEX_SENSITIVITY);
  }

  @Override
  public Object settings() {
    return settings;
  }

  @Override
  public StageResult run(StageContext ctx) {
    List<IndexSettings.Indicator> ind = settings.indicators();
    if (ind.isEmpty()) {
      ctx.entry().note("no index indicators configured (index.indicators): gold.learning_index not written");
      return StageResult.DONE;
    }
    Dataset<Row> all = ctx.lake().read(Tables.REGION_YEARS);
    List<String> missing = ind.stream().flatMap(i -> i.seColumn() == null ? java.util.stream.Stream.of(i.column())
        : java.util.stream.Stream.of(i.column(), i.seColumn())).filter(c -> !Arrays.asList(all.columns())
            .contains(c)).toList();
    if (!missing.isEmpty()) {
      throw org.learningregions.LearningRegionsException.failure("index: gold.region_years has no column "
          + String.join(", ", missing) + " (index.indicators)");
    }
    // The regions of a year are those with some indicator: a region-year with only GDP is not one the index skips.
    Dataset<Row> panel = all.filter(coalesce(ind.stream().map(i -> col(i.column())).toArray(Column[]::new))
        .isNotNull());
    Integer year = latestCoveredYear(panel);
    if (year == null) {
      ctx.entry().note("no year in which every index indicator covers " + settings.minCoverage() * 100
          + "% of the regions: gold.learning_index not written");
      return StageResult.DONE;
    }
    List<Column> cols = new ArrayList<>(List.of(col("region_code"), col("region_name"), col("country")));
    for (IndexSettings.Indicator i : ind) {
      Column value = col(i.column()).cast("double");
      cols.add(i.absolute() ? org.apache.spark.sql.functions.abs(value) : value);
      cols.add(i.seColumn() == null ? lit(null).cast("double") : col(i.seColumn()).cast("double"));
    }
    // One year of the panel: one row per region.
    List<Row> rows = panel.filter(col("year").equalTo(year)).select(cols.toArray(Column[]::new))
        .orderBy("region_code").collectAsList();
    int k = ind.size();
    double[][] x = new double[rows.size()][k];
    double[][] se = new double[rows.size()][k];
    for (int r = 0; r < rows.size(); r++) {
      for (int j = 0; j < k; j++) {
        Row row = rows.get(r);
        double v = row.isNullAt(3 + 2 * j) ? Double.NaN : row.getDouble(3 + 2 * j);
        x[r][j] = ind.get(j).higherIsBetter() ? v : -v;
        se[r][j] = row.isNullAt(4 + 2 * j) ? Double.NaN : row.getDouble(4 + 2 * j);
      }
    }
    List<Row> audit = new ArrayList<>();
    boolean[][] kept = CompositeIndex.coverage(x, settings.minCoverage());
    List<Integer> keptIndicators = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      if (kept[0][j]) {
        keptIndicators.add(j);
      } else {
        audit.add(RowFactory.create(year, "coverage", ind.get(j).name(), null, null, "indicator left out: values "
            + "for fewer than " + pct(settings.minCoverage()) + " of the regions"));
      }
    }
    List<Integer> keptRegions = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      if (kept[1][r]) {
        keptRegions.add(r);
      } else {
        audit.add(RowFactory.create(year, "coverage", rows.get(r).getString(0), null, null, "region not ranked: "
            + "values for fewer than " + pct(settings.minCoverage()) + " of the indicators"));
      }
    }
    List<String> pillars = keptIndicators.stream().map(j -> ind.get(j).pillar()).distinct().toList();
    double[][] xk = new double[keptRegions.size()][keptIndicators.size()];
    double[][] sek = new double[keptRegions.size()][keptIndicators.size()];
    int[] pillarOf = new int[keptIndicators.size()];
    for (int j = 0; j < keptIndicators.size(); j++) {
      pillarOf[j] = pillars.indexOf(ind.get(keptIndicators.get(j)).pillar());
      for (int r = 0; r < keptRegions.size(); r++) {
        xk[r][j] = x[keptRegions.get(r)][keptIndicators.get(j)];
        sek[r][j] = se[keptRegions.get(r)][keptIndicators.get(j)];
      }
    }
    if (settings.outliers().winsorise()) {
      treatOutliers(xk, keptIndicators.stream().map(j -> ind.get(j).name()).toList(), audit, year);
    }
    CompositeIndex index = new CompositeIndex(xk, pillarOf, pillars.size(), settings.pillarMeanImputation());
    int[] imputed = index.imputedCounts();
    CompositeIndex.Scores nominal = index.score(settings.nominal());
    int[] ranks = CompositeIndex.ranks(nominal.index());
    UncertaintyAnalysis.Result mc = UncertaintyAnalysis.run(ctx.spark(), index, sek, settings.nominal(),
        settings.uncertainty());
    audit(audit, year, index, keptIndicators.stream().map(j -> ind.get(j).name()).toList(), pillars, nominal);

    List<Row> out = new ArrayList<>();
    String method = settings.nominal().normalisation().label() + ", " + settings.nominal().weighting().label()
        + " weights, " + settings.nominal().aggregation().label()
        + (settings.pillarMeanImputation() ? ", missing values imputed by the region's pillar mean" : "");
    int ranked = (int) Arrays.stream(ranks).filter(r -> r > 0).count();
    java.util.Map<Integer, UncertaintyAnalysis.RegionRanks> byRegion = new java.util.HashMap<>();
    mc.ranks().forEach(q -> byRegion.put(q.region(), q));
    for (int r = 0; r < keptRegions.size(); r++) {
      Row src = rows.get(keptRegions.get(r));
      java.util.Map<String, Double> pillarScores = new java.util.LinkedHashMap<>();
      for (int p = 0; p < pillars.size(); p++) {
        double v = nominal.pillars()[r][p];
        pillarScores.put(pillars.get(p), Double.isNaN(v) ? null : v);
      }
      int present = 0;
      for (double v : xk[r]) {
        present += Double.isNaN(v) ? 0 : 1;
      }
      UncertaintyAnalysis.RegionRanks rr = byRegion.get(r);
      out.add(RowFactory.create(src.getString(0), src.getString(1), src.getString(2), year, nominal.index()[r],
          ranks[r], rr == null ? null : rr.median(), rr == null ? null : rr.p05(), rr == null ? null : rr.p95(),
          ranked, present / (double) keptIndicators.size(), scala(pillarScores), method,
          settings.uncertainty().draws(), imputed[r]));
    }
    List<Row> sensitivity = new ArrayList<>();
    for (int f = 0; f < mc.factors().size(); f++) {
      sensitivity.add(RowFactory.create(year, mc.factors().get(f), mc.sensitivity().first()[f],
          mc.sensitivity().total()[f], "mean absolute rank shift from the nominal ranking",
          mc.sensitivity().variance(), settings.uncertainty().draws()));
    }
    var spark = ctx.spark();
    ctx.entry().wrote(ctx.writer().overwrite(Tables.LEARNING_INDEX, spark.createDataFrame(out, INDEX)));
    ctx.entry().wrote(ctx.writer().overwrite(Tables.LEARNING_INDEX_AUDIT, spark.createDataFrame(audit, AUDIT)));
    ctx.entry().wrote(ctx.writer().overwrite(Tables.LEARNING_INDEX_SENSITIVITY,
        spark.createDataFrame(sensitivity, SENSITIVITY)));
    ctx.entry().count("index_year", year);
    ctx.entry().count("regions_ranked", ranked);
    ctx.entry().count("indicators", keptIndicators.size());
    return StageResult.DONE;
  }

  private static scala.collection.Map<String, Double> scala(java.util.Map<String, Double> m) {
    return scala.jdk.javaapi.CollectionConverters.asScala(m);
  }

  /** Winsorises each column of {@code x} that breaks the JRC thresholds, in place, with an audit row per column. */
  private void treatOutliers(double[][] x, List<String> names, List<Row> audit, int year) {
    IndexSettings.OutlierRule rule = settings.outliers();
    for (int j = 0; j < names.size(); j++) {
      double[] column = new double[x.length];
      for (int r = 0; r < x.length; r++) {
        column[r] = x[r][j];
      }
      Outliers.Treated t = Outliers.winsorise(column, rule.maxSkewness(), rule.maxKurtosis(), rule.maxPoints());
      if (t.changed() == 0) {
        continue;
      }
      for (int r = 0; r < x.length; r++) {
        x[r][j] = t.values()[r];
      }
      audit.add(RowFactory.create(year, "outliers", names.get(j), null, (double) t.changed(), String.format(
          java.util.Locale.ROOT, "%d values winsorised: skewness %.2f, kurtosis %.2f before; %.2f, %.2f after%s",
          t.changed(), t.skewBefore(), t.kurtosisBefore(), t.skewAfter(), t.kurtosisAfter(),
          t.stillOutlying(rule.maxSkewness(), rule.maxKurtosis()) ? " (still beyond the thresholds at "
              + rule.maxPoints() + " values)" : "")));
    }
  }

  /** The latest year in which every indicator has values for at least the minimum share of that year's regions. */
  private Integer latestCoveredYear(Dataset<Row> panel) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("regions"));
    for (IndexSettings.Indicator i : settings.indicators()) {
      aggs.add(count(col(i.column())));
    }
    Integer best = null;
    for (Row r : panel.groupBy("year").agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
        .collectAsList()) {
      long regions = r.getLong(1);
      boolean covered = regions > 0;
      for (int j = 0; j < settings.indicators().size(); j++) {
        covered &= r.getLong(2 + j) >= settings.minCoverage() * regions;
      }
      int year = r.getInt(0);
      if (covered && (best == null || year > best)) {
        best = year;
      }
    }
    return best;
  }

  /** Correlations, Cronbach's alpha per pillar, eigenvalues, indicators at odds with their pillar. */
  private static void audit(List<Row> audit, int year, CompositeIndex index, List<String> names,
      List<String> pillars, CompositeIndex.Scores nominal) {
    double[][] z = Normalisation.Z_SCORE.columns(index.values());
    double[][] corr = Audit.correlations(z);
    for (int a = 0; a < corr.length; a++) {
      for (int b = a + 1; b < corr.length; b++) {
        audit.add(RowFactory.create(year, "correlation", names.get(a), names.get(b), finite(corr[a][b]),
            index.pillarOf()[a] == index.pillarOf()[b] ? "same pillar" : "different pillars"));
      }
    }
    for (int p = 0; p < pillars.size(); p++) {
      List<Integer> items = new ArrayList<>();
      for (int j = 0; j < index.indicators(); j++) {
        if (index.pillarOf()[j] == p) {
          items.add(j);
        }
      }
      audit.add(RowFactory.create(year, "cronbach_alpha", pillars.get(p), null, finite(Audit.cronbachAlpha(z,
          items.stream().mapToInt(Integer::intValue).toArray())), items.size() + " indicators"));
      for (int j : items) {
        double[][] pair = new double[index.regions()][2];
        for (int r = 0; r < index.regions(); r++) {
          pair[r] = new double[] {z[r][j], nominal.pillars()[r][p]};
        }
        double c = Audit.pearson(pair, 0, 1);
        if (c < 0) {
          audit.add(RowFactory.create(year, "negative_with_pillar", names.get(j), pillars.get(p), c,
              "the indicator correlates negatively with its own pillar"));
        }
      }
    }
    if (corr.length > 1 && Arrays.stream(corr).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite)) {
      double[] eigen = new EigenDecomposition(new Array2DRowRealMatrix(corr)).getRealEigenvalues();
      Arrays.sort(eigen);
      for (int e = eigen.length - 1; e >= 0; e--) {
        audit.add(RowFactory.create(year, "eigenvalue", "component " + (eigen.length - e), null, eigen[e],
            String.format(Locale.ROOT, "%.1f%% of the variance", 100 * eigen[e] / eigen.length)));
      }
    }
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }
}
