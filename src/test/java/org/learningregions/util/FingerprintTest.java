package org.learningregions.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Settings fingerprints: equal content, equal hash; any change, another hash. */
@Tag("fast")
class FingerprintTest {
  record Settings(int lags, List<String> inputs, Map<String, Double> limits) {}

  @Test
  void mapOrderDoesNotMatterButContentDoes() {
    Map<String, Double> a = new LinkedHashMap<>();
    a.put("x", 1.0);
    a.put("y", 2.0);
    Map<String, Double> b = new LinkedHashMap<>();
    b.put("y", 2.0);
    b.put("x", 1.0);
    assertEquals(Fingerprint.of("v1", new Settings(3, List.of("a"), a)),
        Fingerprint.of("v1", new Settings(3, List.of("a"), b)));
    assertNotEquals(Fingerprint.of("v1", new Settings(3, List.of("a"), a)),
        Fingerprint.of("v1", new Settings(2, List.of("a"), a)));
    assertNotEquals(Fingerprint.of("v1", new Settings(3, List.of("a"), a)),
        Fingerprint.of("v2", new Settings(3, List.of("a"), a)), "new code, new fingerprint");
  }
}
