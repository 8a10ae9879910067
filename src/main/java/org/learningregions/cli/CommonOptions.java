package org.learningregions.cli;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import org.learningregions.config.AppConfig;
import picocli.CommandLine.Option;

/** Options every command takes: configuration file, per-key overrides, verbosity. */
public final class CommonOptions {
  @Option(names = {"-c", "--conf"}, paramLabel = "FILE",
      description = "HOCON configuration file (default: $LEARNING_REGIONS_CONF, else conf/local.conf if present, else "
          + "built-in defaults).")
  File conf;

  @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "Override one configuration key, e.g. -Dlakehouse=/data/lh or -Dsample.seed=7 (prefix "
          + "learning-regions. optional). Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
  boolean verbose;

  AppConfig load() {
    File file = conf;
    if (file == null) {
      String env = System.getenv("LEARNING_REGIONS_CONF");
      if (env != null && !env.isBlank()) {
        file = new File(env);
      } else if (new File("conf/local.conf").isFile()) {
        file = new File("conf/local.conf");
      }
    }
    return AppConfig.load(file, overrides);
  }
}
