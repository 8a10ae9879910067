package org.learningregions.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.TableWriter;
import org.learningregions.lake.Tables;
import org.learningregions.lake.WriteOutcome;

/**
 * gold.model_runs and gold.model_coefficients: every fit, with its full specification and the Delta version of its
 * input. A run's id is a hash of the specification, the input's version and the code version, so refitting an
 * unchanged model on an unchanged table adds nothing, while any change of data, spec or code adds a new run; old
 * runs stay (Delta history is the audit trail).
 */
public final class ModelRegistry {
  public static final StructType RUNS = new StructType()
      .add("run_id", DataTypes.StringType)
      .add("model_name", DataTypes.StringType)
      .add("description", DataTypes.StringType)
      .add("formula", DataTypes.StringType)
      .add("fixed_effects", DataTypes.StringType)
      .add("cluster", DataTypes.StringType)
      .add("se", DataTypes.StringType)
      .add("weight", DataTypes.StringType)
      .add("sample_filter", DataTypes.StringType)
      .add("keep_singletons", DataTypes.BooleanType)
      .add("input", DataTypes.StringType)
      .add("input_version", DataTypes.StringType)
      .add("n_input", DataTypes.LongType)
      .add("n_dropped_missing", DataTypes.LongType)
      .add("n_dropped_singletons", DataTypes.LongType)
      .add("n_obs", DataTypes.LongType)
      .add("n_groups", DataTypes.StringType)
      .add("n_clusters", DataTypes.LongType)
      .add("k", DataTypes.IntegerType)
      .add("df_absorbed", DataTypes.LongType)
      .add("df_resid", DataTypes.LongType)
      .add("r2", DataTypes.DoubleType)
      .add("adj_r2", DataTypes.DoubleType)
      .add("within_r2", DataTypes.DoubleType)
      .add("rmse", DataTypes.DoubleType)
      .add("sigma", DataTypes.DoubleType)
      .add("collinear_dropped", DataTypes.StringType)
      .add("warnings", DataTypes.StringType)
      .add("code_version", DataTypes.StringType)
      .add("fitted_at", DataTypes.StringType)
      .add("pipeline_run_id", DataTypes.StringType)
      .add("estimator", DataTypes.StringType)
      .add("statistics", DataTypes.StringType)
      .add("label", DataTypes.StringType);

  public static final StructType COEFFICIENTS = new StructType()
      .add("run_id", DataTypes.StringType)
      .add("model_name", DataTypes.StringType)
      .add("term", DataTypes.StringType)
      .add("estimate", DataTypes.DoubleType)
      .add("std_error", DataTypes.DoubleType)
      .add("t_value", DataTypes.DoubleType)
      .add("p_value", DataTypes.DoubleType)
      .add("ci_low", DataTypes.DoubleType)
      .add("ci_high", DataTypes.DoubleType)
      .add("ci_level", DataTypes.DoubleType)
      .add("df", DataTypes.DoubleType)
      .add("se_type", DataTypes.StringType)
      .add("se_convention", DataTypes.StringType)
      .add("p_value_wcr", DataTypes.DoubleType)
      .add("ci_wcr_low", DataTypes.DoubleType)
      .add("ci_wcr_high", DataTypes.DoubleType)
      .add("bootstrap", DataTypes.StringType);

  private ModelRegistry() {}

  public static String codeVersion() {
    return org.learningregions.util.BuildInfo.codeVersion();
  }

  /** Deterministic run id from what determines the result: known before fitting. */
  public static String runId(ModelSpec s, String inputVersion) {
    String identity = String.join("\u0001", s.name(), s.formula(), String.join(",", s.fixedEffects()),
        String.valueOf(s.cluster()), s.se().name(), String.valueOf(s.weight()), String.valueOf(s.filter()),
        String.valueOf(s.keepSingletons()), s.input(), inputVersion, codeVersion(), s.estimator().describe(),
        s.inference().describe());
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return "m-" + HexFormat.of().formatHex(h).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Row runRow(String runId, FitResult f, String inputVersion, String pipelineRunId) {
    var s = f.spec();
    return RowFactory.create(runId, s.name(), s.description(), s.formula(), String.join(",", s.fixedEffects()),
        s.clusters().isEmpty() ? null : String.join(",", s.clusters()), s.seLabel(), s.weight(), s.filter(),
        s.keepSingletons(), s.input(), inputVersion, f.nInput(), f.nDroppedMissing(), f.nDroppedSingletons(),
        f.nObs(), json(f.nGroups()), f.nClusters(), f.k(), f.dfAbsorbed(), f.dfResid(), f.r2(), f.adjR2(),
        f.withinR2(), f.rmse(), f.sigma(),
        String.join(";", f.droppedCollinear()), String.join(";", f.warnings()), codeVersion(), Instant.now().toString(),
        pipelineRunId, s.estimator().describe(), json(f.statistics()), s.label());
  }

  public static List<Row> coefficientRows(String runId, FitResult f) {
    List<Row> rows = new ArrayList<>();
    for (Coefficient c : f.coefficients()) {
      rows.add(RowFactory.create(runId, f.spec().name(), c.term(), c.estimate(), c.stdError(), c.tValue(), c.pValue(),
          c.ciLow(), c.ciHigh(), 0.95, c.df(), c.seType(), c.seConvention(), c.pValueWcr(), c.ciWcrLow(),
          c.ciWcrHigh(), c.bootstrap()));
    }
    return rows;
  }

  /** The latest recorded estimate of one term of one model. */
  public record Headline(String model, String term, double estimate, double ciLow, double ciHigh, String seType,
      long nObs, String runId) {}

  /** The latest recorded run of {@code model} (by fit time) and its coefficient {@code term}, if any; no Spark. */
  public static java.util.Optional<Headline> latest(Lakehouse lake, String model, String term) {
    Map<String, Object> run = null;
    for (Map<String, Object> r : lake.readSmall(Tables.MODEL_RUNS)) {
      if (model.equals(r.get("model_name")) && (run == null
          || String.valueOf(r.get("fitted_at")).compareTo(String.valueOf(run.get("fitted_at"))) > 0)) {
        run = r;
      }
    }
    if (run == null) {
      return java.util.Optional.empty();
    }
    for (Map<String, Object> c : lake.readSmall(Tables.MODEL_COEFFICIENTS)) {
      if (run.get("run_id").equals(c.get("run_id")) && term.equals(c.get("term"))) {
        return java.util.Optional.of(new Headline(model, term, (Double) c.get("estimate"), (Double) c.get("ci_low"),
            (Double) c.get("ci_high"), (String) c.get("se_type"), ((Number) run.get("n_obs")).longValue(),
            (String) run.get("run_id")));
      }
    }
    return java.util.Optional.empty();
  }

  /** A fitted model ready to be recorded. */
  public record Entry(String runId, FitResult fit, String inputVersion) {}

  /** Every recorded run id (the registry holds one row per fit, so this stays small); read without Spark. */
  public static java.util.Set<String> runIds(Lakehouse lake) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Map<String, Object> r : lake.readSmall(Tables.MODEL_RUNS)) {
      ids.add((String) r.get("run_id"));
    }
    return ids;
  }

  /**
   * Records the runs not yet recorded (by run id), in one commit per table: the rows of these run ids are replaced,
   * so a rerun of the same fit, or two runs recording it at once, leave one copy.
   */
  public static List<WriteOutcome> record(Lakehouse lake, TableWriter writer, List<Entry> entries,
      String pipelineRunId) {
    java.util.Set<String> known = runIds(lake);
    List<Row> runs = new ArrayList<>();
    List<Row> coefs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Entry e : entries) {
      if (!known.contains(e.runId()) && !ids.contains(e.runId())) {
        ids.add(e.runId());
        runs.add(runRow(e.runId(), e.fit(), e.inputVersion(), pipelineRunId));
        coefs.addAll(coefficientRows(e.runId(), e.fit()));
      }
    }
    if (ids.isEmpty()) {
      return List.of();
    }
    StringBuilder in = new StringBuilder("run_id IN (");
    for (int i = 0; i < ids.size(); i++) {
      in.append(i == 0 ? "" : ", ").append(TableWriter.sqlString(ids.get(i)));
    }
    String predicate = in.append(')').toString();
    SparkSession spark = lake.spark();
    List<WriteOutcome> out = new ArrayList<>();
    out.add(writer.replaceWhere(Tables.MODEL_RUNS, spark.createDataFrame(runs, RUNS), predicate));
    out.add(writer.replaceWhere(Tables.MODEL_COEFFICIENTS, spark.createDataFrame(coefs, COEFFICIENTS), predicate));
    return out;
  }

  static String json(Map<String, ? extends Number> m) {
    try {
      return new ObjectMapper().writeValueAsString(new LinkedHashMap<>(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
