package org.learningregions.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.learningregions.LearningRegionsException;
import org.learningregions.config.AppConfig;
import org.learningregions.ingest.DownloadSettings;
import org.learningregions.ingest.EurostatDownloader;
import org.learningregions.lake.RunManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code download}: Eurostat datasets by code from the bulk download service, ready for {@code ingest}. */
@Command(name = "download", mixinStandardHelpOptions = true,
    description = "Download Eurostat datasets by code (gzip'd bulk TSV, from download.url-template) into DIR as "
        + "estat_<code>.tsv.gz, ready for ingest. Retries network errors, HTTP 429 and 5xx with backoff; a file is "
        + "only replaced once the new copy is complete and checked. Needs access to ec.europa.eu. The run manifest "
        + "records URL, bytes and SHA-256 of every file.")
final class DownloadCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DownloadCommand.class);

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "CODE", arity = "0..*",
      description = "Eurostat dataset codes, e.g. trng_lfse_04 (default: download.datasets).")
  List<String> codes;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where to save the files (default: inputs.dir).")
  Path dir;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "Download from here instead of download.url-template: a template with {code}, or a base URL "
          + "to which /{code}?format=TSV&compressed=true is appended.")
  String baseUrl;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() {
    LearningRegions.verbose = common.verbose;
    AppConfig config = common.load();
    List<String> wanted = codes == null || codes.isEmpty() ? config.strings("download.datasets") : codes;
    // Codes are case-insensitive at Eurostat and share one file name per code, so a repeat would only download twice.
    Set<String> seen = new LinkedHashSet<>();
    List<String> datasets = new ArrayList<>();
    for (String code : wanted) {
      if (seen.add(EurostatDownloader.checkCode(code).toLowerCase(Locale.ROOT))) {
        datasets.add(code);
      }
    }
    if (datasets.isEmpty()) {
      throw LearningRegionsException.usage("no dataset codes given (and download.datasets is empty)");
    }
    DownloadSettings settings = DownloadSettings.from(config, template(baseUrl));
    Path target = dir != null ? dir : Paths.get(config.inputsDir());
    EurostatDownloader downloader = new EurostatDownloader(settings, System.err, quiet);

    RunManifest manifest = RunManifest.forCommand(spec.qualifiedName(), config);
    RunManifest.Stage stage = manifest.stage("download");
    List<Map<String, Object>> files = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try {
      for (String code : datasets) {
        try {
          EurostatDownloader.Downloaded d = downloader.download(code, target);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("dataset", d.dataset());
          m.put("url", d.url());
          m.put("file", d.file().toAbsolutePath().normalize().toString());
          m.put("bytes", d.bytes());
          m.put("sha256", d.sha256());
          m.put("attempts", d.attempts());
          m.put("seconds", d.seconds());
          files.add(m);
          System.out.println(d.dataset() + ": " + d.bytes() + " bytes to " + m.get("file") + " (sha256 "
              + d.sha256().substring(0, 12) + "…, " + d.attempts()
              + (d.attempts() == 1 ? " attempt, " : " attempts, ") + d.seconds() + " s)");
        } catch (LearningRegionsException e) {
          if (e.exitCode() == LearningRegionsException.USAGE) {
            throw e;
          }
          // One unreachable dataset should not cost the others; the run still fails at the end.
          errors.add(e.getMessage());
          stage.note(e.getMessage());
          if (datasets.size() > 1) {
            LOG.warn("{}", e.getMessage());
          }
        }
      }
      if (!errors.isEmpty()) {
        throw LearningRegionsException.failure(datasets.size() == 1 ? errors.get(0)
            : errors.size() + " of " + datasets.size() + " datasets failed; first: " + errors.get(0));
      }
      manifest.finish("succeeded", null);
      return 0;
    } catch (RuntimeException e) {
      manifest.finish("failed", String.valueOf(e.getMessage()));
      throw e;
    } finally {
      stage.count("files", files);
      stage.count("failed", errors.size());
      stage.done();
      manifest.writeOrWarn(config.lakehouse(), new org.apache.hadoop.conf.Configuration());
    }
  }

  /** The URL template for {@code --base-url}, or null to keep the configured one. */
  static String template(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      return null;
    }
    if (baseUrl.contains("{code}")) {
      return baseUrl;
    }
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + "/{code}?format=TSV&compressed=true";
  }
}
