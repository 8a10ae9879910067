package org.learningregions.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.Redaction;

/**
 * The resolved configuration of one command: the built-in defaults ({@code reference.conf}), the chosen conf file,
 * then {@code -Dkey=value} overrides, in increasing priority. All keys live under {@code learning-regions}.
 */
public final class AppConfig {
  public static final String ROOT = "learning-regions";

  private final Config root;
  private final String source;

  private AppConfig(Config root, String source) {
    this.root = root;
    this.source = source;
  }

  /** Loads {@code confFile} (null: defaults only) and applies overrides; keys may omit the root prefix. */
  public static AppConfig load(File confFile, Map<String, String> overrides) {
    Config defaults = ConfigFactory.defaultReference(AppConfig.class.getClassLoader());
    Config file = ConfigFactory.empty();
    Config confDir = ConfigFactory.empty();
    String source = "defaults";
    if (confFile != null) {
      if (!confFile.isFile()) {
        throw LearningRegionsException.usage("configuration file not found: " + confFile);
      }
      try {
        file = ConfigFactory.parseFile(confFile, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (com.typesafe.config.ConfigException e) {
        throw LearningRegionsException.usage("cannot read configuration " + confFile + ": " + e.getMessage());
      }
      source = confFile.getPath();
      // Files that ship beside a configuration are named from its directory (conf-dir in reference.conf), so a
      // scheduler may start the command in any working directory.
      confDir = ConfigFactory.parseMap(Map.of(ROOT + ".conf-dir", confFile.getAbsoluteFile().toPath().normalize()
          .getParent().toString()), "directory of " + confFile);
    }
    Map<String, Object> normalised = new LinkedHashMap<>();
    overrides.forEach((k, v) -> normalised.put(k.startsWith(ROOT + ".") ? k : ROOT + "." + k, v));
    Config over = ConfigFactory.parseMap(normalised, "command-line -D overrides");
    try {
      Config all = over.withFallback(file).withFallback(confDir).withFallback(defaults).resolve();
      return new AppConfig(all.getConfig(ROOT), source);
    } catch (com.typesafe.config.ConfigException e) {
      throw LearningRegionsException.usage("invalid configuration: " + e.getMessage());
    }
  }

  /** Defaults plus overrides, for tests and embedding. */
  public static AppConfig defaults(Map<String, String> overrides) {
    return load(null, overrides);
  }

  public Config raw() {
    return root;
  }

  public String source() {
    return source;
  }

  public String lakehouse() {
    return root.getString("lakehouse");
  }

  public String reportsDir() {
    return root.getString("reports");
  }

  public String inputsDir() {
    return root.getString("inputs.dir");
  }

  public boolean generateSample() {
    return root.getBoolean("inputs.generate-sample");
  }

  public String string(String path) {
    return root.getString(path);
  }

  public int integer(String path) {
    return root.getInt(path);
  }

  public double number(String path) {
    return root.getDouble(path);
  }

  public List<String> strings(String path) {
    return root.getStringList(path);
  }

  public Config section(String path) {
    return root.getConfig(path);
  }

  public Map<String, String> sparkConf() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : root.getConfig("spark.conf").entrySet()) {
      out.put(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()));
    }
    return out;
  }

  /**
   * The resolved configuration as JSON for the run manifest, with anything that looks like a secret masked: values
   * of keys named like secrets, and credentials inside URLs ({@link Redaction}).
   */
  public Map<String, Object> redactedForManifest() {
    Map<String, Object> flat = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : root.entrySet()) {
      String key = unquote(e.getKey());
      boolean secret = key.toLowerCase(Locale.ROOT)
          .matches(".*(secret|password|token|credential|access\\.key|secret\\.key|sas).*");
      Object value = e.getValue().unwrapped();
      // A URL anywhere (a download template, an s3a endpoint) may carry user:password@ or a token parameter.
      if (value instanceof String text) {
        value = Redaction.url(text);
      } else if (value instanceof List<?> list) {
        value = list.stream().map(v -> v instanceof String text ? Redaction.url(text) : v).toList();
      }
      flat.put(key, secret ? "***" : value);
    }
    return flat;
  }

  public String render() {
    return root.root().render(ConfigRenderOptions.concise().setFormatted(true));
  }

  private static String unquote(String key) {
    return key.replace("\"", "");
  }
}
