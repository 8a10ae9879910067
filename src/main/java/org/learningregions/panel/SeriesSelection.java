package org.learningregions.panel;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Which silver.regional_indicator rows feed one panel input: an indicator, and optionally its dataset, sex, age,
 * unit and other dimensions ({@code "nace_r2=TOTAL,wstatus=EMP"}: each listed name=code must be among the row's
 * other_dims). Null means "any".
 */
public record SeriesSelection(String indicator, String dataset, String sex, String age, String unit, String other) {

  static SeriesSelection of(Config c) {
    return new SeriesSelection(c.getString("indicator"), opt(c, "dataset"), opt(c, "sex"), opt(c, "age"),
        opt(c, "unit"), opt(c, "other"));
  }

  /** One selection, or a list of them in order of preference. */
  static List<SeriesSelection> listOf(Config inputs, String key) {
    if (!inputs.hasPath(key)) {
      return List.of();
    }
    return inputs.getValue(key).valueType() == com.typesafe.config.ConfigValueType.LIST
        ? inputs.getConfigList(key).stream().map(SeriesSelection::of).toList()
        : List.of(of(inputs.getConfig(key)));
  }

  private static String opt(Config c, String key) {
    return c.hasPath(key) ? c.getString(key) : null;
  }
}
