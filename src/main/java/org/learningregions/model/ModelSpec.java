package org.learningregions.model;

import com.typesafe.config.Config;
import java.util.List;

/**
 * One named model specification as written in {@code conf/models/*.conf} or given on the command line.
 *
 * @param name stable name, used as the model name in gold.model_runs
 * @param description one sentence for reports
 * @param input lakehouse table ({@code gold.analysis_panel}), Delta path, Parquet or CSV path
 * @param formula {@code y ~ x1 + log(x2) + a:b}
 * @param fixedEffects columns absorbed by the within transformation (empty: pooled with intercept)
 * @param cluster cluster column for cluster-robust SE, or null
 * @param se standard-error convention
 * @param weight weight column or null
 * @param filter Spark SQL predicate applied before fitting, or null
 * @param keepSingletons keep observations alone in a fixed-effect group (fixest default) instead of dropping them
 *     (reghdfe default)
 * @param estimator which estimator fits it ({@link EstimatorSpec#OLS} unless the spec says otherwise)
 */
public record ModelSpec(
    String name,
    String description,
    String input,
    String formula,
    List<String> fixedEffects,
    String cluster,
    SeType se,
    String weight,
    String filter,
    boolean keepSingletons,
    EstimatorSpec estimator) {

  /** A spec fitted by this project's least squares ({@link EstimatorSpec#OLS}). */
  public ModelSpec(String name, String description, String input, String formula, List<String> fixedEffects,
      String cluster, SeType se, String weight, String filter, boolean keepSingletons) {
    this(name, description, input, formula, fixedEffects, cluster, se, weight, filter, keepSingletons,
        EstimatorSpec.OLS);
  }

  /** The same spec on another input. */
  public ModelSpec withInput(String otherInput) {
    return new ModelSpec(name, description, otherInput, formula, fixedEffects, cluster, se, weight, filter,
        keepSingletons, estimator);
  }

  /** The specifications configured for {@code pipeline} ({@code models.specs}). */
  public static java.util.List<ModelSpec> listFrom(org.learningregions.config.AppConfig config) {
    java.util.List<ModelSpec> specs = new java.util.ArrayList<>();
    for (Config c : config.raw().getConfigList("models.specs")) {
      specs.add(from(c));
    }
    return specs;
  }

  /** One spec as written in a block of {@code conf/models/*.conf}. */
  public static ModelSpec from(Config c) {
    String cluster = optional(c, "cluster");
    String se = c.hasPath("se") ? c.getString("se") : (cluster != null ? "cluster" : "classical");
    return new ModelSpec(
        c.getString("name"),
        c.hasPath("description") ? c.getString("description") : "",
        c.hasPath("input") ? c.getString("input") : "gold.analysis_panel",
        c.getString("formula"),
        c.hasPath("fe") ? List.copyOf(c.getStringList("fe")) : List.of(),
        cluster,
        SeType.parse(se),
        optional(c, "weight"),
        optional(c, "filter"),
        c.hasPath("keep-singletons") && c.getBoolean("keep-singletons"),
        EstimatorSpec.from(c));
  }

  private static String optional(Config c, String path) {
    if (!c.hasPath(path)) {
      return null;
    }
    String v = c.getString(path).trim();
    return v.isEmpty() ? null : v;
  }
}
