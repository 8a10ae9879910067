package org.learningregions.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.learningregions.LearningRegionsException;
import org.learningregions.config.AppConfig;

/**
 * Configuration-driven naming of indicators ({@code datasets.<code>.rules}) and their kinds ({@code indicators}):
 * adding a dataset needs a few lines of HOCON, no Java. Both become single column expressions.
 */
public final class IndicatorMapping {
  /** One rule: all listed dimensions equal, then the indicator name. */
  record Rule(String dataset, Map<String, String> match, String indicator) {}

  /**
   * The additive indicator a rate is a share of ({@code indicators.<rate>.denominator}): a rate of regions that
   * merged is recomputed as the mean of its parts weighted by this indicator, taken for the same region code and year
   * and with equal values of the dimensions listed in {@code same} (e.g. sex and age).
   */
  public record Denominator(String rate, String indicator, List<String> same) {}

  private final List<Rule> rules;
  private final Map<String, String> kinds;
  private final Map<String, Denominator> denominators;
  private final java.util.Set<String> mappedDatasets;

  private IndicatorMapping(List<Rule> rules, Map<String, String> kinds, Map<String, Denominator> denominators) {
    this.rules = rules;
    this.kinds = kinds;
    this.denominators = denominators;
    this.mappedDatasets = new java.util.HashSet<>();
    rules.forEach(r -> mappedDatasets.add(r.dataset()));
  }

  public static IndicatorMapping from(AppConfig config) {
    List<Rule> rules = new ArrayList<>();
    ConfigObject datasets = config.raw().getObject("datasets");
    for (String dataset : datasets.keySet()) {
      Config d = config.raw().getConfig("datasets").getConfig("\"" + dataset + "\"");
      if (!d.hasPath("rules")) {
        continue;
      }
      for (Config r : d.getConfigList("rules")) {
        Map<String, String> match = new LinkedHashMap<>();
        if (r.hasPath("match")) {
          r.getConfig("match").entrySet().forEach(e -> match.put(e.getKey().replace("\"", "")
              .toLowerCase(java.util.Locale.ROOT),
              String.valueOf(e.getValue().unwrapped())));
        }
        rules.add(new Rule(dataset, match, r.getString("indicator")));
      }
    }
    Map<String, String> kinds = new LinkedHashMap<>();
    Map<String, Denominator> denominators = new LinkedHashMap<>();
    ConfigObject ind = config.raw().getObject("indicators");
    for (String name : ind.keySet()) {
      Config c = config.raw().getConfig("indicators").getConfig("\"" + name + "\"");
      kinds.put(name, c.getString("kind"));
      if (c.hasPath("denominator")) {
        denominators.put(name, new Denominator(name, c.getString("denominator.indicator"),
            c.hasPath("denominator.same") ? List.copyOf(c.getStringList("denominator.same")) : List.of()));
      }
    }
    for (Denominator d : denominators.values()) {
      if (!"rate".equals(kinds.get(d.rate())) || !"additive".equals(kinds.get(d.indicator()))) {
        throw LearningRegionsException.usage("indicators." + d.rate() + ".denominator: only a rate can have a "
            + "denominator, and it must name an additive indicator (got " + d.indicator() + ")");
      }
    }
    return new IndicatorMapping(List.copyOf(rules), Map.copyOf(kinds), Map.copyOf(denominators));
  }

  /** Rates that can be recomputed for merged regions, by rate name. */
  public Map<String, Denominator> denominators() {
    return denominators;
  }

  public boolean isMapped(String dataset) {
    return mappedDatasets.contains(dataset);
  }

  /** Indicator name for rows with columns source_dataset and dims (map); unmatched rows keep the dataset code. */
  public Column indicatorColumn() {
    Column out = null;
    for (Rule r : rules) {
      Column cond = col("source_dataset").equalTo(r.dataset());
      for (Map.Entry<String, String> m : r.match().entrySet()) {
        cond = cond.and(element_at(col("dims"), m.getKey()).equalTo(m.getValue()));
      }
      out = out == null ? when(cond, lit(r.indicator())) : out.when(cond, lit(r.indicator()));
    }
    return out == null ? col("source_dataset") : out.otherwise(col("source_dataset"));
  }

  /** "rate", "additive" or null (unknown indicator: no range rule applies). */
  public Column kindColumn(Column indicator) {
    Column out = null;
    for (Map.Entry<String, String> k : kinds.entrySet()) {
      out = out == null ? when(indicator.equalTo(k.getKey()), lit(k.getValue()))
          : out.when(indicator.equalTo(k.getKey()), lit(k.getValue()));
    }
    return out == null ? lit(null).cast("string") : out;
  }

  public Map<String, String> kinds() {
    return kinds;
  }

  /** The whole mapping as plain text, for settings fingerprints (Jackson serialises the mapping as this). */
  @com.fasterxml.jackson.annotation.JsonValue
  public Map<String, Object> describeAll() {
    Map<String, Object> out = new java.util.TreeMap<>();
    out.put("rules", rules.stream().map(r -> r.dataset() + ":" + r.match() + "->" + r.indicator()).toList());
    out.put("kinds", new java.util.TreeMap<>(kinds));
    out.put("denominators", denominators.values().stream()
        .map(d -> d.rate() + "/" + d.indicator() + d.same()).sorted().toList());
    return out;
  }

  /**
   * Everything that decides how rows of {@code dataset} are named and checked, as plain text: its rules, and the kind
   * and denominator of every indicator (a rate's merge weights may come from another dataset). Part of the file
   * fingerprint, so changing one dataset's rules re-reads that dataset's files only.
   */
  public Map<String, Object> describe(String dataset) {
    Map<String, Object> out = new java.util.TreeMap<>();
    out.put("rules", rules.stream().filter(r -> r.dataset().equals(dataset))
        .map(r -> r.match() + "->" + r.indicator()).toList());
    out.put("kinds", new java.util.TreeMap<>(kinds));
    out.put("denominators", denominators.values().stream()
        .map(d -> d.rate() + "/" + d.indicator() + d.same()).sorted().toList());
    return out;
  }
}
