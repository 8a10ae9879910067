package org.learningregions.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** meta.stage_state: the last {@link StageState} of every stage, one row each. */
public final class StageStateStore {
  public static final StructType SCHEMA = new StructType()
      .add("stage", DataTypes.StringType, false)
      .add("fingerprint", DataTypes.StringType)
      .add("inputs", DataTypes.StringType)
      .add("outputs", DataTypes.StringType)
      .add("run_id", DataTypes.StringType)
      .add("finished_at", DataTypes.StringType);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {};

  private final Lakehouse lake;
  private Map<String, StageState> cache;

  public StageStateStore(Lakehouse lake) {
    this.lake = lake;
  }

  /**
   * The recorded state of {@code stage}, or null. Read once per run, without Spark; the table has one row per
   * stage.
   */
  public synchronized StageState get(String stage) {
    if (cache == null) {
      cache = new TreeMap<>();
      for (Map<String, Object> r : lake.readSmall(Tables.STAGE_STATE)) {
        String name = (String) r.get("stage");
        cache.put(name, new StageState(name, (String) r.get("fingerprint"), parse((String) r.get("inputs")),
            parse((String) r.get("outputs")), (String) r.get("run_id"), (String) r.get("finished_at")));
      }
    }
    return cache.get(stage);
  }

  /** Records {@code state}, replacing the stage's previous row, in one commit. */
  public synchronized WriteOutcome put(StageState state, TableWriter writer) {
    Row row = RowFactory.create(state.stage(), state.fingerprint(), json(state.inputs()), json(state.outputs()),
        state.runId(), state.finishedAt());
    WriteOutcome out = writer.replaceWhere(Tables.STAGE_STATE, lake.spark().createDataFrame(List.of(row), SCHEMA),
        "stage = " + TableWriter.sqlString(state.stage()));
    if (cache != null) {
      cache.put(state.stage(), state);
    }
    return out;
  }

  private static String json(Map<String, String> m) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> parse(String s) {
    try {
      return s == null ? Map.of() : JSON.readValue(s, MAP);
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }
}
