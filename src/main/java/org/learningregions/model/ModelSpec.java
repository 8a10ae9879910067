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
 * @param inference second cluster, Driscoll-Kraay time column and lag, wild bootstrap ({@link InferenceSpec#NONE})
 * @param label a short human label for reports ("Two-way fixed effects, learning one year earlier"); empty: the
 *     report shows the name
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
    EstimatorSpec estimator,
    InferenceSpec inference,
    String label) {

  public ModelSpec {
    label = label == null ? "" : label;
  }

  /** A spec without a label (the report shows its name). */
  public ModelSpec(String name, String description, String input, String formula, List<String> fixedEffects,
      String cluster, SeType se, String weight, String filter, boolean keepSingletons, EstimatorSpec estimator,
      InferenceSpec inference) {
    this(name, description, input, formula, fixedEffects, cluster, se, weight, filter, keepSingletons, estimator,
        inference, "");
  }

  /** A spec fitted by {@code estimator} with the inference its SE type alone gives. */
  public ModelSpec(String name, String description, String input, String formula, List<String> fixedEffects,
      String cluster, SeType se, String weight, String filter, boolean keepSingletons, EstimatorSpec estimator) {
    this(name, description, input, formula, fixedEffects, cluster, se, weight, filter, keepSingletons, estimator,
        InferenceSpec.NONE);
  }

  /** A spec fitted by this project's least squares ({@link EstimatorSpec#OLS}). */
  public ModelSpec(String name, String description, String input, String formula, List<String> fixedEffects,
      String cluster, SeType se, String weight, String filter, boolean keepSingletons) {
    this(name, description, input, formula, fixedEffects, cluster, se, weight, filter, keepSingletons,
        EstimatorSpec.OLS);
  }

  /** The same spec on another input. */
  public ModelSpec withInput(String otherInput) {
    return new ModelSpec(name, description, otherInput, formula, fixedEffects, cluster, se, weight, filter,
        keepSingletons, estimator, inference, label);
  }

  /** The same spec under another name. */
  public ModelSpec withName(String otherName) {
    return new ModelSpec(otherName, description, input, formula, fixedEffects, cluster, se, weight, filter,
        keepSingletons, estimator, inference, label);
  }

  /** The same spec with other inference. */
  public ModelSpec withInference(SeType otherSe, String otherCluster, InferenceSpec otherInference) {
    return new ModelSpec(name, description, input, formula, fixedEffects, otherCluster, otherSe, weight, filter,
        keepSingletons, estimator, otherInference, label);
  }

  /** Every cluster column: none, one, or two (two-way clustering). */
  public List<String> clusters() {
    if (cluster == null) {
      return List.of();
    }
    return inference.cluster2() == null ? List.of(cluster) : List.of(cluster, inference.cluster2());
  }

  /** The SE type as written: {@code cluster}, {@code driscoll-kraay:2}, ... (the lag only when given). */
  public String seLabel() {
    return se.label() + (se == SeType.DRISCOLL_KRAAY && inference.lag() != null ? ":" + inference.lag() : "");
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
    List<String> clusters = clusterColumns(c);
    String cluster = clusters.isEmpty() ? null : clusters.get(0);
    String se = c.hasPath("se") ? c.getString("se") : (cluster != null ? "cluster" : "classical");
    BootstrapSpec bootstrap = null;
    if (c.hasPath("bootstrap")) {
      Config b = c.getConfig("bootstrap");
      bootstrap = BootstrapSpec.of(b.hasPath("type") ? b.getString("type") : "wcr",
          b.hasPath("draws") ? b.getInt("draws") : null, optional(b, "weights"),
          b.hasPath("seed") ? b.getLong("seed") : null);
    }
    InferenceSpec inference = new InferenceSpec(clusters.size() > 1 ? clusters.get(1) : null, optional(c, "time"),
        SeType.lagOf(se), bootstrap);
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
        EstimatorSpec.from(c),
        inference,
        c.hasPath("label") ? c.getString("label") : "");
  }

  /** {@code cluster} as one column, a comma-separated pair or a list of at most two. */
  private static List<String> clusterColumns(Config c) {
    if (!c.hasPath("cluster")) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>();
    if (c.getValue("cluster").valueType() == com.typesafe.config.ConfigValueType.LIST) {
      out.addAll(c.getStringList("cluster"));
    } else {
      for (String s : c.getString("cluster").split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return checkClusters(out);
  }

  /** At most two distinct cluster columns. */
  public static List<String> checkClusters(List<String> clusters) {
    if (clusters.size() > 2 || (clusters.size() == 2 && clusters.get(0).equals(clusters.get(1)))) {
      throw org.learningregions.LearningRegionsException.usage("cluster: one column or two different columns "
          + "(two-way clustering), not " + clusters);
    }
    return List.copyOf(clusters);
  }

  private static String optional(Config c, String path) {
    if (!c.hasPath(path)) {
      return null;
    }
    String v = c.getString(path).trim();
    return v.isEmpty() ? null : v;
  }
}
