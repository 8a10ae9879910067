package org.learningregions.report;

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
 */
public record ReportSettings(String reportsDir, String headlineModel, String headlineTerm, int peerGroups,
    int limitA, int limitB) {

  public static ReportSettings from(AppConfig config) {
    return new ReportSettings(config.reportsDir(), config.string("models.headline-model"),
        config.string("models.headline-term"), config.integer("report.peer-groups"),
        config.integer("aggregate.reliability.limit-a"), config.integer("aggregate.reliability.limit-b"));
  }
}
