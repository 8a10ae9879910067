package org.learningregions.util;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Manifest;

/**
 * Which build of the code is running: the jar's version and build time (from its manifest), or "dev" when run from
 * classes (tests, notebooks). Part of every fingerprint and model run id, so that new code recomputes what old code
 * wrote.
 */
public final class BuildInfo {
  private static final String VERSION = read();

  private BuildInfo() {}

  /** e.g. {@code 0.1.0-SNAPSHOT+20261201T2310Z}, or {@code dev}. */
  public static String codeVersion() {
    return VERSION;
  }

  private static String read() {
    String version = BuildInfo.class.getPackage().getImplementationVersion();
    if (version == null) {
      return "dev";
    }
    try {
      URL self = BuildInfo.class.getProtectionDomain().getCodeSource().getLocation();
      try (InputStream in = new URL("jar:" + self + "!/META-INF/MANIFEST.MF").openStream()) {
        String built = new Manifest(in).getMainAttributes().getValue("Build-Time");
        return built == null ? version : version + "+" + built;
      }
    } catch (IOException | RuntimeException e) {
      return version;
    }
  }
}
