package org.learningregions.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A stable hash of a value's content: the value (a settings record, a list, a map) as canonical JSON (record
 * components in declaration order, map keys sorted) under SHA-256. Two runs with equal settings get equal
 * fingerprints on any machine; any change of a setting changes it.
 */
public final class Fingerprint {
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .build();

  private Fingerprint() {}

  /** The canonical JSON of {@code value}. */
  public static String canonicalJson(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot fingerprint " + value.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  /** Hex SHA-256 of the canonical JSON of {@code value}, prefixed with {@code salt} (e.g. the code version). */
  public static String of(String salt, Object value) {
    return Hashing.sha256Hex(salt + "\u0001" + canonicalJson(value));
  }
}
