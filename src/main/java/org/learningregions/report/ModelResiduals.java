package org.learningregions.report;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The residuals of a fitted fixed-effects model, region by region, for the map of where the model fits badly:
 * {@code e = y - Xb - (fixed effects)}, with b as stored in gold.model_coefficients and the fixed effects of
 * {@code y - Xb} recovered by alternating projections (exact for one effect, converged to 1e-12 for more). The model's
 * sample is rebuilt from its input the way the fit built it (its filter, rows complete in every column used); rows
 * alone in a fixed-effect group have a residual of zero whether the fit kept them or not, so the sum of squared
 * residuals equals the fit's (rmse^2 x n_obs), which a test checks. Unweighted, plain-column models only: a model
 * with weights or transformed terms has no residual map.
 */
final class ModelResiduals {
  /** A region's residual in its latest year of the sample. */
  record Latest(int year, double residual) {}

  /** Residuals of one model: every row's, and the sum of their squares. */
  record Result(Map<String, Latest> latestByRegion, double ssr, long n) {}

  private ModelResiduals() {}

  /**
   * @param panel the model's input table
   * @param run the model's row of gold.model_runs
   * @param coefficients its terms and estimates (intercept as "(Intercept)")
   * @return null when the model cannot be mapped (weights, transformed terms, no region column, no coefficients)
   */
  static Result of(Dataset<Row> panel, Row run, Map<String, Double> coefficients) {
    String formula = run.getAs("formula");
    String fe = run.getAs("fixed_effects");
    if (run.getAs("weight") != null || formula == null || coefficients.isEmpty()
        || coefficients.values().stream().anyMatch(b -> b == null || !Double.isFinite(b))) {
      return null;
    }
    String response = formula.substring(0, formula.indexOf('~')).trim();
    List<String> terms = new ArrayList<>(coefficients.keySet());
    terms.remove("(Intercept)");
    List<String> effects = fe == null || fe.isBlank() ? List.of() : Arrays.asList(fe.split(","));
    List<String> fields = Arrays.asList(panel.columns());
    List<String> needed = new ArrayList<>(List.of("region_code", "year", response));
    needed.addAll(terms);
    needed.addAll(effects);
    if (!fields.containsAll(needed)) {
      return null;
    }
    List<String> distinct = needed.stream().distinct().toList();
    Dataset<Row> sample = panel;
    String filter = run.getAs("sample_filter");
    if (filter != null && !filter.isBlank()) {
      sample = sample.where(filter);
    }
    // Bounded by regions x years, like every table of the report.
    List<Row> rows = sample.select(distinct.stream().map(c -> col(c)).toArray(Column[]::new)).na().drop()
        .collectAsList();
    int n = rows.size();
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      double v = ((Number) r.getAs(response)).doubleValue() - coefficients.getOrDefault("(Intercept)", 0.0);
      for (String t : terms) {
        v -= coefficients.get(t) * ((Number) r.getAs(t)).doubleValue();
      }
      z[i] = v;
    }
    sweep(z, rows, effects);
    Map<String, Latest> latest = new LinkedHashMap<>();
    double ssr = 0;
    for (int i = 0; i < n; i++) {
      ssr += z[i] * z[i];
      Row r = rows.get(i);
      int year = ((Number) r.getAs("year")).intValue();
      double e = z[i];
      latest.merge(r.getAs("region_code"), new Latest(year, e), (a, b) -> b.year() > a.year() ? b : a);
    }
    return new Result(latest, ssr, n);
  }

  /** Removes the fixed effects of {@code z} in place: group means subtracted in turn until they vanish. */
  private static void sweep(double[] z, List<Row> rows, List<String> effects) {
    if (effects.isEmpty()) {
      return;
    }
    int[][] group = new int[effects.size()][z.length];
    int[] levels = new int[effects.size()];
    for (int f = 0; f < effects.size(); f++) {
      Map<Object, Integer> index = new HashMap<>();
      for (int i = 0; i < z.length; i++) {
        group[f][i] = index.computeIfAbsent(rows.get(i).getAs(effects.get(f)), k -> index.size());
      }
      levels[f] = index.size();
    }
    for (int iteration = 0; iteration < 10_000; iteration++) {
      double moved = 0;
      for (int f = 0; f < effects.size(); f++) {
        double[] sum = new double[levels[f]];
        int[] count = new int[levels[f]];
        for (int i = 0; i < z.length; i++) {
          sum[group[f][i]] += z[i];
          count[group[f][i]]++;
        }
        for (int i = 0; i < z.length; i++) {
          double mean = sum[group[f][i]] / count[group[f][i]];
          z[i] -= mean;
          moved = Math.max(moved, Math.abs(mean));
        }
      }
      if (effects.size() == 1 || moved < 1e-12) {
        return;
      }
    }
  }
}
