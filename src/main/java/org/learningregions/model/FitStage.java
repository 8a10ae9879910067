package org.learningregions.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.learningregions.LearningRegionsException;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.StageState;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.stage.Stage;
import org.learningregions.stage.StageContext;
import org.learningregions.stage.StageResult;
import org.learningregions.util.Concurrently;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fit} stage: fits model specs and records them in gold.model_runs and gold.model_coefficients. A spec
 * whose run id (a hash of the spec, its input's version and the code version) is already recorded is not fitted
 * again unless asked to; gold.model_runs is append-only, so other runs' rows never make this stage's work stale.
 */
public final class FitStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger(FitStage.class);

  private final FitSettings settings;
  private final boolean refitRecorded;
  private final List<Recorded> fitted = new ArrayList<>();

  /**
   * @param settings fitter settings and the specs to fit
   * @param refitRecorded fit specs whose run is already recorded too (the {@code fit} command shows every result)
   */
  public FitStage(FitSettings settings, boolean refitRecorded) {
    this.settings = settings;
    this.refitRecorded = refitRecorded;
  }

  /** A fitted model with the run id it is recorded under and its input's version. */
  public record Recorded(String runId, FitResult fit, String inputVersion, double seconds) {}

  @Override
  public String name() {
    return "fit";
  }

  @Override
  public List<TableId> inputs() {
    List<TableId> out = new ArrayList<>();
    for (ModelSpec s : settings.specs()) {
      if (TableId.looksLikeTable(s.input()) && !out.contains(TableId.parse(s.input()))) {
        out.add(TableId.parse(s.input()));
      }
    }
    return out;
  }

  @Override
  public List<TableId> outputs() {
    return List.of(Tables.MODEL_RUNS, Tables.MODEL_COEFFICIENTS);
  }

  @Override
  public Object settings() {
    return settings;
  }

  /** Every spec input's version: Delta versions of tables and paths, size and time of plain files. */
  @Override
  public Map<String, String> inputVersions(StageContext ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ModelSpec s : settings.specs()) {
      out.computeIfAbsent(s.input(), in -> ModelInputs.version(ctx.lake(), in));
    }
    return out;
  }

  /** Ad hoc refits (the {@code fit} command with a formula) always run and leave the pipeline's stage state alone. */
  @Override
  public boolean skipsWhenUnchanged() {
    return !refitRecorded;
  }

  /** The registry only grows: a recorded run stays valid whatever else is appended. */
  @Override
  public boolean outputsCurrent(StageContext ctx, StageState state) {
    return ctx.lake().exists(Tables.MODEL_RUNS);
  }

  /** The models this run fitted (specs whose run was already recorded are not among them unless refitted). */
  public List<Recorded> fitted() {
    return List.copyOf(fitted);
  }

  @Override
  public StageResult run(StageContext ctx) {
    List<ModelSpec> specs = settings.specs();
    if (specs.isEmpty()) {
      throw LearningRegionsException.usage("no model specs configured (models.specs; see conf/models/)");
    }
    Set<String> recorded = refitRecorded ? Set.of() : ModelRegistry.runIds(ctx.lake());
    // Specs are independent and each is a chain of small Spark jobs: fitting them concurrently overlaps the
    // per-job latency. Results keep the configured order.
    Recorded[] results = new Recorded[specs.size()];
    List<Runnable> tasks = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    List<String> withoutData = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      int index = i;
      ModelSpec spec = specs.get(i);
      tasks.add(() -> {
        ModelInputs.Input input = ModelInputs.open(ctx.spark(), ctx.lake(), spec.input());
        String runId = ModelRegistry.runId(spec, input.version());
        if (recorded.contains(runId)) {
          synchronized (unchanged) {
            unchanged.add(spec.name());
          }
          return;
        }
        try {
          results[index] = fit(spec, input, runId);
        } catch (NoRowsException e) {
          if (!settings.skipSpecsWithoutData()) {
            throw e;
          }
          synchronized (withoutData) {
            withoutData.add(e.getMessage());
          }
        }
      });
    }
    Concurrently.run(tasks);
    List<Map<String, Object>> summary = new ArrayList<>();
    List<ModelRegistry.Entry> entries = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Recorded r : results) {
      if (r == null) {
        continue;
      }
      fitted.add(r);
      if (ids.add(r.runId())) {
        entries.add(new ModelRegistry.Entry(r.runId(), r.fit(), r.inputVersion()));
      }
      summary.add(summary(r));
    }
    if (!entries.isEmpty()) {
      ModelRegistry.record(ctx.lake(), ctx.writer(), entries, ctx.runId()).forEach(ctx.entry()::wrote);
    }
    ctx.entry().count("models", summary);
    if (!unchanged.isEmpty()) {
      ctx.entry().count("models_already_recorded", unchanged);
    }
    for (String w : withoutData) {
      LOG.warn("not fitted: {}", w);
      ctx.entry().note("not fitted: " + w);
    }
    return StageResult.DONE;
  }

  /** Fits one spec on its input (no recording). */
  public Recorded fit(ModelSpec spec, ModelInputs.Input input, String runId) {
    long t0 = System.nanoTime();
    FitResult fit = ModelFitters.fit(settings, input.data(), spec);
    for (Coefficient c : fit.coefficients()) {
      LOG.info("model {}: {} = {} (SE {}, 95% CI {} to {}, {})", spec.name(), c.term(), fmt(c.estimate()),
          fmt(c.stdError()), fmt(c.ciLow()), fmt(c.ciHigh()), c.seType());
    }
    return new Recorded(runId, fit, input.version(), (System.nanoTime() - t0) / 1e9);
  }

  /** Opens the spec's input and fits it, for notebooks and tests (no recording). */
  public Recorded fit(Lakehouse lake, ModelSpec spec) {
    ModelInputs.Input input = ModelInputs.open(lake.spark(), lake, spec.input());
    return fit(spec, input, ModelRegistry.runId(spec, input.version()));
  }

  private static Map<String, Object> summary(Recorded r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", r.fit().spec().name());
    m.put("model_run_id", r.runId());
    m.put("input", r.fit().spec().input());
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
    m.put("seconds", Math.round(r.seconds() * 100) / 100.0);
    return m;
  }

  static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.6g", v);
  }
}
