package org.learningregions.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import org.learningregions.config.AppConfig;
import org.learningregions.util.BuildInfo;
import org.learningregions.util.Fingerprint;
import org.learningregions.validate.IndicatorMapping;

/**
 * What shapes ingest, read once from the configuration.
 *
 * @param minYear earliest year accepted ({@code validate.min-year})
 * @param maxYear latest year accepted ({@code validate.max-year})
 * @param ignoreUnmapped skip statistical files of datasets without a mapping ({@code inputs.ignore-unmapped})
 * @param microdataColumns silver column to microdata file column ({@code microdata.columns})
 * @param defaultSurvey survey name for microdata rows without one ({@code microdata.survey})
 * @param nutsTarget NUTS version every region code is brought to ({@code nuts.target-version})
 * @param sliverShare boundary changes below this population share are slivers ({@code nuts.sliver-share})
 * @param mapping which dataset rows become which indicator ({@code datasets}, {@code indicators})
 * @param trustFileTimes skip a file whose path, size and modification time equal the recorded ones without reading
 *     it ({@code ingest.trust-file-times}); false: every file is hashed on every run
 * @param chunkBytes bytes of text one Spark task reads ({@code ingest.chunk-bytes})
 * @param tsvChunkBytes the same for a Eurostat bulk TSV ({@code ingest.tsv-chunk-bytes})
 * @param limits what a file may make ingest read ({@code ingest.limits}): a breach refuses the file
 */
public record IngestSettings(int minYear, int maxYear, boolean ignoreUnmapped, MicrodataColumns microdataColumns,
    String defaultSurvey, int nutsTarget, double sliverShare, IndicatorMapping mapping, boolean trustFileTimes,
    long chunkBytes, long tsvChunkBytes, IngestLimits limits) {

  public static IngestSettings from(AppConfig config) {
    return new IngestSettings(config.integer("validate.min-year"), config.integer("validate.max-year"),
        config.raw().getBoolean("inputs.ignore-unmapped"), MicrodataColumns.from(config.section("microdata.columns")),
        config.string("microdata.survey"), config.integer("nuts.target-version"), config.number("nuts.sliver-share"),
        IndicatorMapping.from(config), config.raw().getBoolean("ingest.trust-file-times"),
        config.raw().getBytes("ingest.chunk-bytes"), config.raw().getBytes("ingest.tsv-chunk-bytes"),
        IngestLimits.from(config));
  }

  /**
   * Hash of everything that decides how a file of this format and dataset is parsed and validated: with the file's
   * SHA-256, its identity. Settings of other datasets do not enter, so a new mapping for one dataset re-reads only
   * that dataset's files.
   */
  public String parseFingerprint(SourceFormat format, String dataset) {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("format", format.name());
    parts.put("dataset", dataset);
    parts.put("years", minYear + ".." + maxYear);
    if (format.isStatistical()) {
      parts.put("mapping", mapping.describe(dataset));
      parts.put("nuts", nutsTarget + "/" + sliverShare);
    } else if (format.isMicrodata()) {
      parts.put("columns", microdataColumns.silverToSource());
      parts.put("survey", defaultSurvey);
    }
    return Fingerprint.of(BuildInfo.codeVersion(), parts).substring(0, 16);
  }
}
