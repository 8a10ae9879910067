package org.learningregions.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.learningregions.LearningRegionsException;
import org.learningregions.model.BootstrapSpec;
import org.learningregions.model.Coefficient;
import org.learningregions.model.EstimatorSpec;
import org.learningregions.model.FitResult;
import org.learningregions.model.FitSettings;
import org.learningregions.model.FitStage;
import org.learningregions.model.InferenceSpec;
import org.learningregions.model.ModelSpec;
import org.learningregions.model.SeType;
import org.learningregions.report.CsvExport;
import org.learningregions.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fit}: one model on any table or file, or the configured specs. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Fit a linear model with optional absorbed fixed effects and classical, HC1 or cluster-robust SE on "
        + "a lakehouse table (gold.analysis_panel), a Delta or Parquet path or a CSV file, and record it in "
        + "gold.model_runs / gold.model_coefficients. Without --formula or --spec, fits every configured spec.")
final class FitCommand extends SparkCommand {
  @Option(names = "--spec", paramLabel = "NAME", description = "A named spec from models.specs.")
  String specName;

  @Option(names = "--input", paramLabel = "TABLE_OR_PATH", description = "Default: gold.analysis_panel.")
  String input;

  @Option(names = "--formula", description = "e.g. \"log_productivity_eur ~ learning_rate_lag1 + log(population)\"")
  String formula;

  @Option(names = "--fe", split = ",", paramLabel = "COL",
      description = "Fixed effects to absorb, e.g. region_code,year.")
  List<String> fe;

  @Option(names = "--cluster", split = ",", paramLabel = "COL", description = "Cluster column, or two for two-way "
      + "clustering (region_code,year); implies --se cluster.")
  List<String> cluster;

  @Option(names = "--time", paramLabel = "COL", description = "Time column of Driscoll-Kraay SE (default: year).")
  String time;

  @Option(names = "--bootstrap", paramLabel = "TYPE", description = "wcr: wild cluster restricted bootstrap p-value "
      + "and test-inversion 95%% interval of every coefficient, over the (one) --cluster column.")
  String bootstrap;

  @Option(names = "--draws", description = "Bootstrap draws (default 9999; all 2^G sign vectors when 2^G is no more).")
  Integer draws;

  @Option(names = "--weights", description = "Bootstrap weights: rademacher (default) or webb.")
  String bootstrapWeights;

  @Option(names = "--seed", description = "Seed of the bootstrap draws (recorded with the results).")
  Long seed;

  @Option(names = "--weight", paramLabel = "COL", description = "Weight column.")
  String weight;

  @Option(names = "--se", description = "classical, hc1, cluster or driscoll-kraay[:L] (default: cluster with "
      + "--cluster, else classical). Driscoll-Kraay without L uses floor(4*(T/100)^(2/9)) as Stata xtscc.")
  String se;

  @Option(names = "--filter", paramLabel = "SQL", description = "Spark SQL predicate selecting the sample.")
  String filter;

  @Option(names = "--name", description = "Model name for the registry (default: cli_fit; a --spec refitted with "
      + "other inference: the spec's name with the inference appended, e.g. twoway_fe_lag1_cluster_country_wcr).")
  String name;

  @Option(names = "--keep-singletons", description = "Keep observations alone in a fixed-effect group.")
  boolean keepSingletons;

  @Option(names = "--estimator", paramLabel = "NAME", description = "ols (default: fixed effects, classical, HC1 or "
      + "cluster SE), mllib-linear (MLlib LinearRegression, normal solver), glm (MLlib GeneralizedLinearRegression) "
      + "or elastic-net (prediction, k-fold cross-validation).")
  String estimator;

  @Option(names = "--family", description = "GLM family: gaussian, binomial, poisson, gamma, tweedie.")
  String family;

  @Option(names = "--link", description = "GLM link (default: the family's canonical link).")
  String link;

  @Option(names = "--folds", description = "Cross-validation folds for elastic-net (default 5).")
  Integer folds;

  @Option(names = "--force", description = "Fit the configured specs even when their runs are recorded.")
  boolean force;

  @Option(names = "--out", paramLabel = "DIR", description = "Write DIR/coefficients.csv and DIR/fit.json.")
  Path out;

  @Override
  int execute(Run run) throws Exception {
    FitSettings settings = FitSettings.from(run.config());
    List<ModelSpec> specs = new ArrayList<>();
    List<String> clusters = cluster == null ? List.of() : ModelSpec.checkClusters(cluster);
    if (formula != null) {
      org.learningregions.model.Formula.parse(formula);
      SeType seType = se != null ? SeType.parse(se) : !clusters.isEmpty() ? SeType.CLUSTER : SeType.CLASSICAL;
      specs.add(new ModelSpec(name != null ? name : "cli_fit", "fitted from the command line",
          input != null ? input : "gold.analysis_panel", formula, fe == null ? List.of() : List.copyOf(fe),
          clusters.isEmpty() ? null : clusters.get(0), seType, weight, filter, keepSingletons,
          estimator == null ? EstimatorSpec.OLS : EstimatorSpec.of(estimator, family, link, folds, null, null, null),
          inference(clusters)));
    } else if (specName != null) {
      ModelSpec s = settings.specs().stream().filter(m -> m.name().equals(specName)).findFirst()
          .orElseThrow(() -> LearningRegionsException.usage("no model spec named " + specName + " in models.specs"));
      if (se != null || cluster != null || bootstrap != null || time != null) {
        // A configured spec refitted with other inference: what is not given stays as configured.
        List<String> cl = clusters.isEmpty() ? s.clusters() : clusters;
        SeType seType = se != null ? SeType.parse(se) : cluster != null ? SeType.CLUSTER : s.se();
        InferenceSpec base = s.inference();
        InferenceSpec given = inference(cl);
        // The spec's own bootstrap stays only where it still applies (one cluster, cluster SE).
        BootstrapSpec keptBootstrap = cl.size() == 1 && seType == SeType.CLUSTER ? base.bootstrap() : null;
        s = s.withInference(seType, cl.isEmpty() ? null : cl.get(0), new InferenceSpec(given.cluster2(),
            time != null ? time : base.time(), se != null ? given.lag() : base.lag(),
            bootstrap != null ? given.bootstrap() : keptBootstrap));
        // Recorded under its own name: the registry's latest run of the spec's name stays the configured one, which
        // the report shows.
        s = s.withName(name != null ? name : s.name() + "_" + inferenceSuffix(s));
      }
      specs.add(input != null ? s.withInput(input) : s);
    } else {
      specs.addAll(settings.specs());
    }
    // A formula or a named spec is fitted even when the same run is recorded, so that its result is shown (the
    // registry keeps one copy); the configured specs are fitted as the pipeline fits them, only when not recorded.
    boolean adHoc = formula != null || specName != null;
    FitStage stage = new FitStage(settings.withSpecs(specs), adHoc || force);
    if (run.runStage(stage, force).unchanged()) {
      System.out.println("fit: unchanged (every spec is recorded for its input's current version)");
    }
    List<FitStage.Recorded> results = stage.fitted();
    for (FitStage.Recorded r : results) {
      print(r);
    }
    if (out != null) {
      if (results.size() != 1) {
        throw LearningRegionsException.usage("--out needs exactly one model (use --formula or --spec)");
      }
      write(results.get(0), out);
    }
    return 0;
  }

  /** E.g. {@code cluster_country_wcr}, {@code cluster_region_code_year}, {@code driscoll-kraay2}. */
  private static String inferenceSuffix(ModelSpec s) {
    StringBuilder b = new StringBuilder(s.seLabel().replace(":", ""));
    for (String c : s.se() == SeType.CLUSTER ? s.clusters() : List.<String>of()) {
      b.append('_').append(c);
    }
    BootstrapSpec boot = s.inference().bootstrap();
    if (boot != null) {
      b.append("_wcr").append(boot.weights() == BootstrapSpec.Weights.WEBB ? "_webb" : "");
    }
    return b.toString();
  }

  private InferenceSpec inference(List<String> clusters) {
    if (bootstrap == null && (draws != null || bootstrapWeights != null || seed != null)) {
      throw LearningRegionsException.usage("--draws, --weights and --seed need --bootstrap wcr");
    }
    return new InferenceSpec(clusters.size() > 1 ? clusters.get(1) : null, time, se == null ? null : SeType.lagOf(se),
        bootstrap == null ? null : BootstrapSpec.of(bootstrap, draws, bootstrapWeights, seed));
  }

  private static void print(FitStage.Recorded r) {
    FitResult f = r.fit();
    System.out.printf(Locale.ROOT, "model %s (run %s): %s%n", f.spec().name(), r.runId(), f.spec().formula());
    System.out.printf(Locale.ROOT, "  N = %d (dropped: %d missing, %d singletons), clusters = %d, R2 = %.4f%s%n",
        f.nObs(), f.nDroppedMissing(), f.nDroppedSingletons(), f.nClusters(), f.r2(),
        f.withinR2() == null ? "" : String.format(Locale.ROOT, ", within R2 = %.4f", f.withinR2()));
    System.out.printf(Locale.ROOT, "  %-28s %14s %14s %9s %9s %14s %14s  %s%n", "term", "estimate", "std_error",
        "t", "p", "ci_low", "ci_high", "se_type");
    for (Coefficient c : f.coefficients()) {
      System.out.printf(Locale.ROOT, "  %-28s %14.6g %14.6g %9.3f %9.4f %14.6g %14.6g  %s%n", c.term(), c.estimate(),
          c.stdError(), c.tValue(), c.pValue(), c.ciLow(), c.ciHigh(), c.seType());
    }
    if (f.spec().estimator().kind() != EstimatorSpec.Kind.OLS) {
      System.out.println("  estimator: " + f.spec().estimator().describe());
      f.statistics().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-40s %14.6g%n", k, v));
    }
    for (Coefficient c : f.coefficients()) {
      if (c.bootstrap() != null) {
        System.out.printf(Locale.ROOT, "  %-28s WCR p = %.4f, 95%% CI %.6g to %.6g  (%s)%n", c.term(), c.pValueWcr(),
            c.ciWcrLow(), c.ciWcrHigh(), c.bootstrap());
      }
    }
    for (String w : f.warnings()) {
      System.out.println("  warning: " + w);
    }
  }

  private static void write(FitStage.Recorded r, Path dir) throws Exception {
    FitResult f = r.fit();
    List<List<Object>> rows = new ArrayList<>();
    for (Coefficient c : f.coefficients()) {
      rows.add(java.util.Arrays.asList(c.term(), c.estimate(), c.stdError(), c.tValue(), c.pValue(), c.ciLow(),
          c.ciHigh(), c.seType(), c.seConvention(), c.pValueWcr(), c.ciWcrLow(), c.ciWcrHigh(), c.bootstrap()));
    }
    CsvExport.writeRows(dir.resolve("coefficients.csv"), List.of("term", "estimate", "std_error", "t_value", "p_value",
        "ci_low", "ci_high", "se_type", "se_convention", "p_value_wcr", "ci_wcr_low", "ci_wcr_high", "bootstrap"),
        rows);
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("model_run_id", r.runId());
    j.put("model", f.spec().name());
    j.put("formula", f.spec().formula());
    j.put("input", f.spec().input());
    j.put("input_version", r.inputVersion());
    j.put("fixed_effects", f.spec().fixedEffects());
    j.put("cluster", f.spec().clusters());
    j.put("se", f.spec().seLabel());
    if (f.spec().inference().bootstrap() != null) {
      j.put("bootstrap", f.spec().inference().bootstrap());
    }
    j.put("n_input", f.nInput());
    j.put("n_obs", f.nObs());
    j.put("n_groups", f.nGroups());
    j.put("n_clusters", f.nClusters());
    j.put("r2", f.r2());
    j.put("adj_r2", f.adjR2());
    j.put("within_r2", f.withinR2());
    j.put("rmse", f.rmse());
    j.put("sigma", f.sigma());
    j.put("df_resid", f.dfResid());
    j.put("estimator", f.spec().estimator().describe());
    j.put("statistics", f.statistics());
    j.put("fit_seconds", Math.round(r.seconds() * 100) / 100.0);
    Map<String, Object> dropped = new LinkedHashMap<>();
    dropped.put("missing_values", f.nDroppedMissing());
    dropped.put("singletons", f.nDroppedSingletons());
    dropped.put("collinear_terms", f.droppedCollinear());
    j.put("dropped", dropped);
    j.put("warnings", f.warnings());
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(j);
    AtomicFiles.writeString(dir.resolve("fit.json"), json);
  }
}
