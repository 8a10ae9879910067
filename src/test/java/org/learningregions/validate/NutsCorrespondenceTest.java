package org.learningregions.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.learningregions.LearningRegionsException;
import org.learningregions.validate.NutsCorrespondence.Kind;
import org.learningregions.validate.NutsCorrespondence.Mapping;

/** Relations read from the JRC NUTS converter matrices, checked against the documented NUTS amendments. */
@Tag("fast")
class NutsCorrespondenceTest {
  static final NutsCorrespondence TO_2021 = NutsCorrespondence.to(2021, 0.02);

  static void expect(int version, String code, Kind kind, String target, int parts) {
    Mapping m = TO_2021.find(version, code);
    assertEquals(kind, m.kind(), version + " " + code);
    assertEquals(target, m.toCode(), version + " " + code);
    assertEquals(parts, m.parts(), version + " " + code);
  }

  @Test
  void classifiesKnownAmendments() {
    // NUTS 2010: Brandenburg's two NUTS 2 regions DE41 and DE42 merged into DE40.
    expect(2006, "DE41", Kind.MERGE, "DE40", 2);
    expect(2006, "DE42", Kind.MERGE, "DE40", 2);
    // ... which leaves the NUTS 1 region DE4 unchanged.
    expect(2006, "DE4", Kind.IDENTITY, "DE4", 1);
    // NUTS 2016: the French regions were recoded (FR24 Centre became FRB0 Centre-Val de Loire) ...
    expect(2013, "FR24", Kind.RECODE, "FRB0", 1);
    // ... and their NUTS 1 parents regrouped, so FR2 has no successor.
    expect(2013, "FR2", Kind.UNCONVERTIBLE, "FR2", 0);
    // NUTS 2013: Inner London (UKI1) split into UKI3 and UKI4; NUTS 2016: Ireland's IE01 split.
    expect(2010, "UKI1", Kind.UNCONVERTIBLE, "UKI1", 0);
    expect(2013, "IE01", Kind.UNCONVERTIBLE, "IE01", 0);
    // NUTS 2013: the Greek regions were recoded (EL11 became EL51).
    expect(2010, "EL11", Kind.RECODE, "EL51", 1);
    // Unchanged regions map to themselves despite the matrices' few-km² slivers (AT12 -> AT11 in 2010).
    expect(2010, "AT12", Kind.IDENTITY, "AT12", 1);
    expect(2016, "NL33", Kind.IDENTITY, "NL33", 1);
    expect(2021, "TR21", Kind.IDENTITY, "TR21", 1);
    expect(2021, "AT130", Kind.IDENTITY, "AT130", 1);
    assertNull(TO_2021.find(2021, "UKI1"));
  }

  @Test
  void sliversAreAThreshold() {
    // With no threshold NL33's 0.96% of population moved to NL31 in 2021 is a boundary change.
    NutsCorrespondence strict = NutsCorrespondence.to(2021, 0.0);
    assertEquals(Kind.UNCONVERTIBLE, strict.find(2016, "NL33").kind());
    assertEquals(Kind.IDENTITY, strict.find(2016, "AT11").kind());
  }

  @Test
  void versionsAndTargets() {
    assertTrue(TO_2021.codesByVersion().get(2013).contains("FR24"));
    assertTrue(TO_2021.codesByVersion().get(2021).contains("FRB0"));
    NutsCorrespondence to2024 = NutsCorrespondence.to(2024, 0.02);
    // NUTS 2024 split Portugal's Oeste e Vale do Tejo (PT16 -> PT19, PT1D).
    assertEquals(Kind.UNCONVERTIBLE, to2024.find(2021, "PT16").kind());
    assertEquals(Kind.RECODE, to2024.find(2021, "NL33").kind());
    assertThrows(LearningRegionsException.class, () -> NutsCorrespondence.to(2010, 0.02));
  }
}
