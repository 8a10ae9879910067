package org.learningregions.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.learningregions.LearningRegionsException;
import org.learningregions.RunContext;
import org.learningregions.config.ModelSpecConfig;
import org.learningregions.lake.RunManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code fit} stage of the pipeline: fits every configured model spec and records it in the registry. */
public final class FitStage {
  private static final Logger LOG = LoggerFactory.getLogger(FitStage.class);

  private final RunContext ctx;

  public FitStage(RunContext ctx) {
    this.ctx = ctx;
  }

  public static LinearModelFitter fitter(RunContext ctx) {
    return new LinearModelFitter(ctx.config().integer("models.max-demean-iterations"),
        ctx.config().number("models.demean-tolerance"), ctx.config().integer("models.min-clusters-warning"),
        ctx.config().integer("models.dummy-fe-max-levels"));
  }

  /** A fitted and recorded model. */
  public record Recorded(String runId, FitResult fit, String inputVersion, double seconds) {}

  public List<Recorded> run(List<ModelSpecConfig> specs) {
    RunManifest.Stage stage = ctx.manifest().stage("fit");
    if (specs.isEmpty()) {
      throw LearningRegionsException.usage("no model specs configured (models.specs; see conf/models/)");
    }
    // Specs are independent and each is a chain of small Spark jobs: fitting them concurrently overlaps the
    // per-job latency. Results keep the configured order.
    Recorded[] fitted = new Recorded[specs.size()];
    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      int index = i;
      tasks.add(() -> fitted[index] = fit(specs.get(index)));
    }
    org.learningregions.lake.Concurrently.run(tasks);
    List<Recorded> out = new ArrayList<>();
    List<Map<String, Object>> summary = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      ModelSpecConfig spec = specs.get(i);
      Recorded r = fitted[i];
      out.add(r);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", spec.name());
      m.put("model_run_id", r.runId());
      m.put("input", spec.input());
      m.put("input_version", r.inputVersion());
      m.put("n_obs", r.fit().nObs());
      m.put("n_dropped_missing", r.fit().nDroppedMissing());
      m.put("n_dropped_singletons", r.fit().nDroppedSingletons());
      m.put("n_clusters", r.fit().nClusters());
      Map<String, Object> coefs = new LinkedHashMap<>();
      for (Coefficient c : r.fit().coefficients()) {
        coefs.put(c.term(), Map.of("estimate", c.estimate(), "std_error", c.stdError(), "ci_low", c.ciLow(),
            "ci_high", c.ciHigh()));
      }
      m.put("coefficients", coefs);
      summary.add(m);
    }
    List<ModelRegistry.Entry> entries = out.stream()
        .map(r -> new ModelRegistry.Entry(r.runId(), r.fit(), r.inputVersion())).toList();
    ModelRegistry.record(ctx.lake(), ctx.spark(), entries, ctx.runId()).forEach(stage::wrote);
    stage.count("models", summary);
    stage.done();
    return out;
  }

  /** Fits one spec on its input; the run id follows from the spec, the input's version and the code version. */
  public Recorded fit(ModelSpecConfig spec) {
    long t0 = System.nanoTime();
    ModelInputs.Input input = ModelInputs.open(ctx.spark(), ctx.lake(), spec.input());
    FitResult fit = ModelFitters.fit(ctx, input.data(), spec);
    String runId = ModelRegistry.runId(fit, input.version());
    for (Coefficient c : fit.coefficients()) {
      LOG.info("model {}: {} = {} (SE {}, 95% CI {} to {}, {})", spec.name(), c.term(), fmt(c.estimate()),
          fmt(c.stdError()), fmt(c.ciLow()), fmt(c.ciHigh()), c.seType());
    }
    return new Recorded(runId, fit, input.version(), (System.nanoTime() - t0) / 1e9);
  }

  static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.6g", v);
  }
}
