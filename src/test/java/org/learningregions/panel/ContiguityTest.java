package org.learningregions.panel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.LearningRegionsException;
import org.learningregions.SparkTestSession;
import org.learningregions.validate.NutsBoundaries;

/**
 * The spatial weights on the real NUTS 2021 boundaries (GISCO Nuts2json, 1:20 million, in ../shared): symmetric
 * before standardisation, rows summing to 1, neighbours checked against geography, the regions without a queen
 * neighbour and the nearest region each gets; and the one-line errors of bad boundary files. No Spark.
 */
@Tag("fast")
class ContiguityTest {
  static Contiguity contiguity;

  @BeforeAll
  static void readRealBoundaries() {
    Path file = SparkTestSession.shared().resolve("data/real/geo/2021_3035_20M_nutsrg_2.json");
    assertTrue(Files.isRegularFile(file), "the NUTS 2021 boundaries are missing: " + file);
    List<NutsBoundaries.Region> regions = NutsBoundaries.read(file);
    assertEquals(327, regions.size(), "features of the file (SOURCES.md)");
    contiguity = Contiguity.of(regions);
  }

  @Test
  void linksAreSymmetricBeforeStandardisationAndEveryRegionHasOne() {
    assertEquals(327, contiguity.regions().size());
    for (String r : contiguity.regions()) {
      SortedMap<String, String> n = contiguity.neighbours(r);
      assertFalse(n.isEmpty(), r + " has no neighbour");
      assertFalse(n.containsKey(r), r + " is its own neighbour");
      n.forEach((j, how) -> assertEquals(how, contiguity.neighbours(j).get(r), r + " -> " + j + " (" + how
          + ") has no reverse link of the same kind"));
    }
  }

  @Test
  void rowStandardisedWeightsSumToOnePerRegion() {
    List<Contiguity.Link> links = contiguity.rowStandardised();
    assertEquals(contiguity.linkCount(), links.size());
    Map<String, Double> sums = links.stream().collect(Collectors.groupingBy(Contiguity.Link::regionCode,
        TreeMap::new, Collectors.summingDouble(Contiguity.Link::weight)));
    assertEquals(327, sums.size());
    sums.forEach((r, s) -> assertEquals(1.0, s, 1e-12, r));
    for (Contiguity.Link l : links) {
      assertEquals(contiguity.neighbours(l.regionCode()).size(), l.nNeighbours());
      assertEquals(1.0 / l.nNeighbours(), l.weight(), 0.0);
    }
  }

  @Test
  void berlinsOnlyNeighbourIsBrandenburg() {
    assertEquals(Map.of("DE40", Contiguity.QUEEN), contiguity.neighbours("DE30"));
    assertEquals(Contiguity.QUEEN, contiguity.neighbours("DE40").get("DE30"));
  }

  @Test
  void ileDeFranceBordersTheFiveRegionsAroundIt() {
    // NUTS 2021 level 2 in France is the pre-2016 regions. Ile-de-France's departments border: Val-d'Oise the Oise
    // (Picardie FRE2) and the Eure (Haute-Normandie FRD2); Yvelines the Eure and Eure-et-Loir (Centre-Val de Loire
    // FRB0); Essonne Eure-et-Loir and Loiret (FRB0); Seine-et-Marne the Loiret, the Yonne (Bourgogne FRC1), the Aube
    // and the Marne (Champagne-Ardenne FRF2), the Aisne and the Oise (FRE2). Basse-Normandie (FRD1) does not reach it
    // (Eure and Eure-et-Loir lie between). The file gives exactly these five.
    SortedMap<String, String> expected = new TreeMap<>(Map.of("FRB0", Contiguity.QUEEN, "FRC1", Contiguity.QUEEN,
        "FRD2", Contiguity.QUEEN, "FRE2", Contiguity.QUEEN, "FRF2", Contiguity.QUEEN));
    assertEquals(expected, contiguity.neighbours("FR10"));
  }

  @Test
  void landBordersAcrossCountriesAreQueenLinks() {
    // Ireland is not an island region: Northern and Western (Donegal, Monaghan...) and Eastern and Midland (Louth)
    // border Northern Ireland; Syddanmark borders Schleswig-Holstein.
    assertEquals(Contiguity.QUEEN, contiguity.neighbours("IE04").get("UKN0"));
    assertEquals(Contiguity.QUEEN, contiguity.neighbours("IE06").get("UKN0"));
    assertEquals(Contiguity.QUEEN, contiguity.neighbours("DK03").get("DEF0"));
  }

  @Test
  void regionsWithoutAQueenNeighbourGetTheNearestCentroidMarkedAsSuch() {
    // Islands and island groups, Ceuta and Melilla (bordered by Morocco only), Svalbard and Jan Mayen (NO0B). Sicily
    // is not linked to Calabria (the Strait of Messina); SE21 (Smaland and the islands) and Ireland touch land.
    assertEquals(List.of("CY00", "EL41", "EL42", "EL43", "EL62", "ES53", "ES63", "ES64", "ES70", "FI20", "FRM0",
        "IS00", "ITG1", "ITG2", "MT00", "NO0B"), contiguity.islands());
    Map<String, String> nearest = new TreeMap<>();
    for (String island : contiguity.islands()) {
      assertFalse(contiguity.neighbours(island).containsValue(Contiguity.QUEEN), island);
      assertTrue(contiguity.neighbours(island).values().stream().allMatch(Contiguity.NEAREST::equals), island);
    }
    nearest.put("MT00", "ITG1");
    nearest.put("ITG1", "MT00");
    nearest.put("CY00", "TR62");
    nearest.put("IS00", "UKM6");
    nearest.put("ES70", "PT15");
    nearest.put("ES53", "ES51");
    nearest.put("FI20", "SE11");
    nearest.put("FRM0", "ITI1");
    nearest.put("ITG2", "FRM0");
    nearest.put("EL43", "EL42");
    nearest.put("ES64", "ES63");
    nearest.forEach((island, to) -> assertTrue(contiguity.neighbours(island).containsKey(to), island + " -> " + to));
    // Malta and Sicily are each other's nearest: one link each way, not two.
    assertEquals(Map.of("ITG1", Contiguity.NEAREST), contiguity.neighbours("MT00"));
    assertEquals(Map.of("MT00", Contiguity.NEAREST), contiguity.neighbours("ITG1"));
    // The reverse of an island's link: Andalucia keeps its queen neighbours and gains Ceuta.
    assertEquals(Contiguity.NEAREST, contiguity.neighbours("ES61").get("ES63"));
    assertTrue(contiguity.neighbours("ES61").containsValue(Contiguity.QUEEN));
    // Corsica: its own nearest (Toscana) and Sardinia's link to it.
    assertEquals(Map.of("ITG2", Contiguity.NEAREST, "ITI1", Contiguity.NEAREST), contiguity.neighbours("FRM0"));
  }

  @Test
  void centroidIsAreaWeightedOverPartsWithHolesWhateverTheWinding() {
    // A 10 x 10 square (clockwise, as GISCO writes outer rings) with a 2 x 2 hole at [6,8] x [6,8], and a separate
    // 2 x 2 square at [20,22] x [0,2]. Area 100 - 4 + 4 = 100; x moment 100*5 - 4*7 + 4*21 = 556; y 500 - 28 + 4.
    long[] outer = {0, 0, 0, 10, 10, 10, 10, 0, 0, 0};
    long[] hole = {6, 6, 6, 8, 8, 8, 8, 6, 6, 6};
    long[] part = {20, 0, 22, 0, 22, 2, 20, 2, 20, 0};
    NutsBoundaries.Region r = new NutsBoundaries.Region("XX00", null, List.of(List.of(outer, hole), List.of(part)));
    assertArrayEquals(new double[] {5.56, 4.76}, r.centroid(), 1e-12);
  }

  @Test
  void badBoundaryFilesFailWithOneLine(@TempDir Path tmp) throws IOException {
    assertOneLineFailure(tmp.resolve("absent.json"), "boundaries file not found");
    assertOneLineFailure(write(tmp, "a.json", "{\"type\": \"Feature\", \"geometry\": null}"),
        "not a GeoJSON FeatureCollection");
    assertOneLineFailure(write(tmp, "b.json", "id,name\nAT11,Burgenland\n"), "not JSON");
    assertOneLineFailure(write(tmp, "c.json", collection("{\"na\": \"x\"}", polygon())), "feature 0 has no "
        + "properties.id");
    assertOneLineFailure(write(tmp, "d.json", collection("{\"id\": \"AT11\"}",
        "{\"type\": \"LineString\", \"coordinates\": [[0, 0], [1, 1]]}")), "region AT11 has geometry LineString");
    assertOneLineFailure(write(tmp, "e.json", collection("{\"id\": \"AT11\"}",
        "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [0, 1.5], [1, 1], [0, 0]]]}")),
        "not two integers");
  }

  static void assertOneLineFailure(Path file, String cause) {
    LearningRegionsException e = assertThrows(LearningRegionsException.class, () -> NutsBoundaries.read(file));
    assertEquals(LearningRegionsException.FAILURE, e.exitCode());
    assertTrue(e.getMessage().contains(cause), e.getMessage());
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  static Path write(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  static String polygon() {
    return "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}";
  }

  static String collection(String properties, String geometry) {
    return "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": " + properties
        + ", \"geometry\": " + geometry + "}]}";
  }
}
