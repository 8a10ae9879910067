package org.learningregions.panel;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.split;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which silver.regional_indicator rows feed one panel input: an indicator, and optionally its dataset, sex, age,
 * unit and other dimensions ({@code "nace_r2=TOTAL,wstatus=EMP"}: each listed name=code must be among the row's
 * other_dims). Null means "any". {@code scale} converts the selected values to the input's unit (e.g. 0.001 for an
 * OECD employment count in persons feeding employment in thousands).
 */
public record SeriesSelection(String indicator, String dataset, String sex, String age, String unit, String other,
    double scale) {

  /** A selection at the stored unit. */
  public SeriesSelection(String indicator, String dataset, String sex, String age, String unit, String other) {
    this(indicator, dataset, sex, age, unit, other, 1.0);
  }

  static SeriesSelection of(Config c) {
    return new SeriesSelection(c.getString("indicator"), opt(c, "dataset"), opt(c, "sex"), opt(c, "age"),
        opt(c, "unit"), opt(c, "other"), c.hasPath("scale") ? c.getDouble("scale") : 1.0);
  }

  /** One selection, or a list of them in order of preference. */
  static List<SeriesSelection> listOf(Config inputs, String key) {
    if (!inputs.hasPath(key)) {
      return List.of();
    }
    return inputs.getValue(key).valueType() == ConfigValueType.LIST
        ? inputs.getConfigList(key).stream().map(SeriesSelection::of).toList()
        : List.of(of(inputs.getConfig(key)));
  }

  /** The rows this selection takes. */
  Dataset<Row> filter(Dataset<Row> rows) {
    Dataset<Row> r = rows.filter(col("indicator").equalTo(indicator));
    if (sex != null) {
      r = r.filter(col("sex").equalTo(sex));
    }
    if (age != null) {
      r = r.filter(col("age").equalTo(age));
    }
    if (unit != null) {
      r = r.filter(col("unit").equalTo(unit));
    }
    if (dataset != null) {
      r = r.filter(col("source_dataset").equalTo(dataset));
    }
    if (other != null) {
      // Each listed name=code must be among the row's other dimensions (newer files add e.g. freq=A).
      for (String pair : other.split(",")) {
        r = r.filter(array_contains(split(col("other_dims"), ","), pair.trim()));
      }
    }
    return scale == 1.0 ? r : r.withColumn("value", col("value").multiply(scale));
  }

  private static String opt(Config c, String key) {
    return c.hasPath(key) ? c.getString(key) : null;
  }
}
