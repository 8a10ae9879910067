package org.learningregions.lake;

import java.util.Locale;
import org.learningregions.LearningRegionsException;

/**
 * A lakehouse table named by layer and name, e.g. {@code gold.analysis_panel}; stored at
 * {@code <lakehouse>/<layer>/<name>}.
 */
public record TableId(String layer, String name) {
  /** Layers in the order data moves through them; {@code meta} holds the lakehouse's own bookkeeping. */
  public static final java.util.List<String> LAYERS = java.util.List.of("bronze", "silver", "gold", "quarantine",
      "meta");

  public TableId {
    if (!LAYERS.contains(layer)) {
      throw LearningRegionsException.usage("unknown layer '" + layer + "' (expected one of " + LAYERS + ")");
    }
    if (!name.matches("[a-z0-9_]+")) {
      throw LearningRegionsException.usage("invalid table name '" + name + "'");
    }
  }

  /** Parses {@code layer.name}. */
  public static TableId parse(String qualified) {
    String[] parts = qualified.trim().toLowerCase(Locale.ROOT).split("\\.");
    if (parts.length != 2) {
      throw LearningRegionsException.usage("table must be written layer.name (e.g. gold.analysis_panel): " + qualified);
    }
    return new TableId(parts[0], parts[1]);
  }

  public static boolean looksLikeTable(String s) {
    return s.matches("(?i)(bronze|silver|gold|quarantine|meta)\\.[a-z0-9_]+");
  }

  public static TableId bronze(String name) {
    return new TableId("bronze", name);
  }

  public static TableId silver(String name) {
    return new TableId("silver", name);
  }

  public static TableId gold(String name) {
    return new TableId("gold", name);
  }

  public static TableId quarantine(String name) {
    return new TableId("quarantine", name);
  }

  public static TableId meta(String name) {
    return new TableId("meta", name);
  }

  @Override
  public String toString() {
    return layer + "." + name;
  }
}
