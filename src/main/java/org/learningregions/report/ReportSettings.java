package org.learningregions.report;

import java.util.Map;
import org.learningregions.config.AppConfig;

/**
 * What shapes a report, read once from the configuration.
 *
 * @param reportsDir where report directories are written ({@code reports})
 * @param headlineModel the specification the headline is about ({@code models.headline-model})
 * @param headlineTerm its term ({@code models.headline-term})
 * @param peerGroups productivity groups for region profiles ({@code report.peer-groups})
 * @param limitA survey cells below this many respondents are suppressed ({@code aggregate.reliability.limit-a})
 * @param limitB survey cells below this many respondents are flagged low ({@code aggregate.reliability.limit-b})
 * @param headlineInference the specifications whose headline-term estimates show the headline under other
 *     inference, side by side ({@code models.headline-inference})
 * @param inferenceBasis the one of them the conclusion rests on ({@code models.inference-basis}; empty: the headline)
 * @param mapRegions boundaries of the panel's regions for the maps ({@code report.maps.regions}; empty: no maps)
 * @param mapCountries country outlines drawn behind them ({@code report.maps.countries}; empty: none)
 * @param labels plain words for terms and cluster columns ({@code report.labels})
 * @param indexRegions regions whose index rank the report states in words ({@code report.index.regions})
 * @param published published estimates shown beside this run's ({@code report.published})
 */
public record ReportSettings(String reportsDir, String headlineModel, String headlineTerm, int peerGroups,
    int limitA, int limitB, java.util.List<String> headlineInference, String inferenceBasis, String mapRegions,
    String mapCountries, Labels labels, java.util.List<String> indexRegions, java.util.List<Published> published) {

  /**
   * A published estimate to set beside this run's: who, on what data, what they found, and which of this run's
   * specifications (its estimate of the headline term) is the closest comparison, with what differs.
   */
  public record Published(String study, String data, String finding, String model, String differs) {}

  public static ReportSettings from(AppConfig config) {
    var raw = config.raw();
    return new ReportSettings(config.reportsDir(), config.string("models.headline-model"),
        config.string("models.headline-term"), config.integer("report.peer-groups"),
        config.integer("aggregate.reliability.limit-a"), config.integer("aggregate.reliability.limit-b"),
        raw.hasPath("models.headline-inference") ? java.util.List.copyOf(raw.getStringList("models.headline-inference"))
            : java.util.List.of(),
        raw.hasPath("models.inference-basis") ? raw.getString("models.inference-basis") : "",
        raw.hasPath("report.maps.regions") ? raw.getString("report.maps.regions") : "",
        raw.hasPath("report.maps.countries") ? raw.getString("report.maps.countries") : "",
        new Labels(strings(raw, "report.labels.terms"), strings(raw, "report.labels.columns"), Map.of()),
        raw.hasPath("report.index.regions") ? java.util.List.copyOf(raw.getStringList("report.index.regions"))
            : java.util.List.of(),
        raw.hasPath("report.published") ? raw.getConfigList("report.published").stream()
            .map(p -> new Published(p.getString("study"), p.getString("data"), p.getString("finding"),
                p.getString("model"), p.getString("differs"))).toList() : java.util.List.of());
  }

  /** A config object of strings as a map; keys such as "(Intercept)" are quoted in HOCON and unquoted here. */
  private static Map<String, String> strings(com.typesafe.config.Config raw, String path) {
    Map<String, String> out = new java.util.HashMap<>();
    if (raw.hasPath(path)) {
      raw.getObject(path).forEach((k, v) -> out.put(k, String.valueOf(v.unwrapped())));
    }
    return out;
  }

  /** What the first page says about the headline's uncertainty. */
  ReportText.HeadlineInference inference() {
    return new ReportText.HeadlineInference(headlineInference, inferenceBasis.isBlank() ? headlineModel
        : inferenceBasis);
  }
}
