package org.learningregions.model;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import org.learningregions.LearningRegionsException;

/**
 * Which estimator fits a model spec, with its own settings.
 *
 * @param kind {@code ols}: this project's least squares in Spark (absorbed fixed effects, classical, HC1 or
 *     cluster-robust SE); {@code mllib-linear}: MLlib LinearRegression with the normal solver (pooled, classical SE);
 *     {@code glm}: MLlib GeneralizedLinearRegression (pooled, classical SE from the Fisher information);
 *     {@code elastic-net}: MLlib LinearRegression with an elastic-net penalty chosen by k-fold cross-validation, for
 *     prediction only (no standard errors)
 * @param family GLM family (gaussian, binomial, poisson, gamma, tweedie)
 * @param link GLM link, or null for the family's canonical link
 * @param folds cross-validation folds (elastic net)
 * @param elasticNetParams mixing parameters tried (0 = ridge, 1 = lasso)
 * @param regParams penalty strengths tried
 * @param seed fold assignment seed
 */
public record EstimatorSpec(Kind kind, String family, String link, int folds, List<Double> elasticNetParams,
    List<Double> regParams, long seed) {

  /** The estimators. */
  public enum Kind {
    OLS, MLLIB_LINEAR, GLM, ELASTIC_NET;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw LearningRegionsException.usage("unknown estimator '" + s + "' (ols, mllib-linear, glm or elastic-net)");
    }
  }

  public static final EstimatorSpec OLS = new EstimatorSpec(Kind.OLS, null, null, 0, List.of(), List.of(), 0);

  /** Reads {@code estimator}, {@code family}, {@code link}, {@code folds}, {@code elastic-net-params},
   * {@code reg-params} and {@code seed} of one spec; absent keys take the defaults. */
  static EstimatorSpec from(Config c) {
    if (!c.hasPath("estimator")) {
      return OLS;
    }
    return of(c.getString("estimator"), c.hasPath("family") ? c.getString("family") : null,
        c.hasPath("link") ? c.getString("link") : null, c.hasPath("folds") ? c.getInt("folds") : null,
        c.hasPath("elastic-net-params") ? c.getDoubleList("elastic-net-params") : null,
        c.hasPath("reg-params") ? c.getDoubleList("reg-params") : null, c.hasPath("seed") ? c.getLong("seed") : null);
  }

  /** An estimator from its name and optional settings (null: default), as the config and the CLI give them. */
  public static EstimatorSpec of(String name, String family, String link, Integer folds, List<Double> alphas,
      List<Double> lambdas, Long seed) {
    Kind kind = Kind.parse(name);
    if (kind == Kind.GLM && family == null) {
      throw LearningRegionsException.usage(
          "estimator glm needs a family (gaussian, binomial, poisson, gamma, tweedie)");
    }
    int k = folds == null ? 5 : folds;
    if (kind == Kind.ELASTIC_NET && k < 2) {
      throw LearningRegionsException.usage("elastic-net needs at least 2 folds, got " + k);
    }
    return new EstimatorSpec(kind, family == null ? null : family.toLowerCase(Locale.ROOT),
        link == null ? null : link.toLowerCase(Locale.ROOT), kind == Kind.ELASTIC_NET ? k : 0,
        kind == Kind.ELASTIC_NET ? List.copyOf(alphas == null ? List.of(0.0, 0.5, 1.0) : alphas) : List.of(),
        kind == Kind.ELASTIC_NET ? List.copyOf(lambdas == null ? List.of(0.0, 0.001, 0.01, 0.1, 1.0) : lambdas)
            : List.of(), seed == null ? 42 : seed);
  }

  /** One line naming the estimator and its settings, as stored in gold.model_runs.estimator. */
  public String describe() {
    return switch (kind) {
      case OLS, MLLIB_LINEAR -> kind.label();
      case GLM -> "glm(family=" + family + ", link=" + (link == null ? "canonical" : link) + ")";
      case ELASTIC_NET -> "elastic-net(folds=" + folds + ", elastic-net-params=" + elasticNetParams + ", reg-params="
          + regParams + ", seed=" + seed + ")";
    };
  }
}
