package org.learningregions.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.learningregions.SparkTestSession;

/**
 * Rates and Taylor-linearised SEs against an independent plain-Java computation of the same estimator (survey's
 * svyratio with ids=~psu, strata=~stratum, with-replacement, lonely PSU "certainty"), to 1e-9, including a stratum
 * with one PSU, PSUs with nobody in a domain, and a domain with zero participants.
 */
class LearningRateEstimatorTest {
  record Person(String id, String region, int age, String sex, String edu, boolean formal, boolean nonFormal,
      double w, String stratum, String psu) {}

  static final StructType SCHEMA = new StructType()
      .add("survey", DataTypes.StringType).add("year", DataTypes.IntegerType)
      .add("respondent_id", DataTypes.StringType).add("region_code", DataTypes.StringType)
      .add("age", DataTypes.IntegerType).add("sex", DataTypes.StringType)
      .add("education_level", DataTypes.StringType).add("labour_status", DataTypes.StringType)
      .add("formal", DataTypes.BooleanType).add("non_formal", DataTypes.BooleanType)
      .add("informal", DataTypes.BooleanType).add("hours", DataTypes.DoubleType)
      .add("weight", DataTypes.DoubleType).add("stratum", DataTypes.StringType).add("psu", DataTypes.StringType);

  static List<Person> people(boolean design) {
    Random rnd = new Random(42);
    List<Person> out = new ArrayList<>();
    // AT11: strata A (3 PSUs) and B (1 PSU: lonely); AT12: stratum C (2 PSUs), where nobody with ISCED0-2 learns.
    String[][] psus = {{"AT11", "A", "A1"}, {"AT11", "A", "A2"}, {"AT11", "A", "A3"}, {"AT11", "B", "B1"},
        {"AT12", "C", "C1"}, {"AT12", "C", "C2"}};
    int i = 0;
    for (String[] p : psus) {
      for (int k = 0; k < 9; k++) {
        String edu = k % 3 == 0 ? "ISCED0-2" : k % 3 == 1 ? "ISCED3-4" : "ISCED5-8";
        boolean zeroDomain = p[0].equals("AT12") && edu.equals("ISCED0-2");
        boolean formal = !zeroDomain && rnd.nextDouble() < 0.2;
        boolean nonFormal = !zeroDomain && rnd.nextDouble() < 0.35;
        out.add(new Person("r" + (i++), p[0], 25 + rnd.nextInt(40), rnd.nextBoolean() ? "F" : "M", edu, formal,
            nonFormal, 50 + 100 * rnd.nextDouble(), design ? p[1] : null, design ? p[2] : null));
      }
    }
    return out;
  }

  static Dataset<Row> frame(List<Person> ps) {
    List<Row> rows = new ArrayList<>();
    for (Person p : ps) {
      rows.add(RowFactory.create("S", 2020, p.id(), p.region(), p.age(), p.sex(), p.edu(), "employed", p.formal(),
          p.nonFormal(), false, 0.0, p.w(), p.stratum(), p.psu()));
    }
    return SparkTestSession.get().createDataFrame(rows, SCHEMA);
  }

  /** The oracle: one domain, one measure, written as loops over respondents. */
  static double[] oracle(List<Person> all, Predicate<Person> inDomain, Predicate<Person> y) {
    double sw = 0;
    double swy = 0;
    for (Person p : all) {
      if (inDomain.test(p)) {
        sw += p.w();
        swy += y.test(p) ? p.w() : 0;
      }
    }
    double r = swy / sw;
    Map<String, Map<String, Double>> psuTotals = new HashMap<>();
    for (Person p : all) {
      String stratum = p.stratum() == null ? "all" : p.stratum();
      String psu = p.psu() == null ? p.id() : p.psu();
      double z = inDomain.test(p) ? p.w() * ((y.test(p) ? 1 : 0) - r) / sw : 0.0;
      psuTotals.computeIfAbsent(stratum, k -> new HashMap<>()).merge(psu, z, Double::sum);
    }
    double var = 0;
    for (Map<String, Double> stratum : psuTotals.values()) {
      int nh = stratum.size();
      if (nh < 2) {
        continue;
      }
      double mean = stratum.values().stream().mapToDouble(Double::doubleValue).sum() / nh;
      double ss = 0;
      for (double z : stratum.values()) {
        ss += (z - mean) * (z - mean);
      }
      var += (double) nh / (nh - 1) * ss;
    }
    return new double[] {r * 100, Math.sqrt(var) * 100};
  }

  static Map<String, Row> estimate(List<Person> ps, long limitA, long limitB) {
    LearningRateEstimator e = new LearningRateEstimator(List.of(2, 1), List.of(new AgeBand("25-44", 25, 44),
        new AgeBand("45-64", 45, 64)), new ReliabilityThresholds(limitA, limitB), 0.95);
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : e.estimate(frame(ps)).rates().collectAsList()) {
      byKey.put(r.getAs("region_code") + "|" + r.getAs("measure") + "|" + r.getAs("breakdown") + "|"
          + r.getAs("breakdown_value"), r);
    }
    return byKey;
  }

  void check(Map<String, Row> got, List<Person> ps, String key, Predicate<Person> domain, Predicate<Person> y) {
    Row r = got.get(key);
    assertNotNull(r, key);
    double[] want = oracle(ps, domain, y);
    assertEquals(want[0], r.<Double>getAs("rate"), 1e-9, key + " rate");
    assertEquals(want[1], r.<Double>getAs("se"), 1e-9, key + " se");
    assertTrue(r.<Double>getAs("ci_low") >= 0 && r.<Double>getAs("ci_high") <= 100, key + " CI within 0..100");
    assertTrue(r.<Double>getAs("ci_low") <= want[0] && want[0] <= r.<Double>getAs("ci_high"), key);
  }

  @Test
  void stratifiedClusterDesignMatchesTheIndependentComputation() {
    List<Person> ps = people(true);
    Map<String, Row> got = estimate(ps, 1, 2);
    Predicate<Person> any = p -> p.formal() || p.nonFormal();
    Predicate<Person> formal = Person::formal;
    check(got, ps, "AT11|any|total|total", p -> p.region().equals("AT11"), any);
    check(got, ps, "AT12|formal|total|total", p -> p.region().equals("AT12"), formal);
    check(got, ps, "AT1|any|total|total", p -> true, any);
    check(got, ps, "AT11|any|sex|F", p -> p.region().equals("AT11") && p.sex().equals("F"), any);
    check(got, ps, "AT1|non_formal|education_level|ISCED5-8", p -> p.edu().equals("ISCED5-8"), Person::nonFormal);
    check(got, ps, "AT11|any|age_band|45-64", p -> p.region().equals("AT11") && p.age() >= 45, any);
    // Design df = PSUs with members - strata with members: AT11 has PSUs A1..A3 and B1 in strata A and B.
    assertEquals(2L, got.get("AT11|any|total|total").<Long>getAs("design_df"));
    assertEquals(6L - 3, got.get("AT1|any|total|total").<Long>getAs("design_df"));
    Row zero = got.get("AT12|any|education_level|ISCED0-2");
    assertEquals(0.0, zero.<Double>getAs("rate"), 0.0);
    assertEquals(0.0, zero.<Double>getAs("se"), 0.0);
    assertEquals(0.0, zero.<Double>getAs("ci_low"), 0.0);
    assertTrue(zero.<Double>getAs("ci_high") > 0, "Wilson upper bound above 0 for 0 of n");
    assertEquals(LearningRateEstimator.METHOD_DESIGN, zero.getAs("method"));
  }

  @Test
  void withoutDesignColumnsUsesTheWeightedSrsApproximation() {
    List<Person> ps = people(false);
    Map<String, Row> got = estimate(ps, 1, 2);
    check(got, ps, "AT11|any|total|total", p -> p.region().equals("AT11"), p -> p.formal() || p.nonFormal());
    assertEquals(LearningRateEstimator.METHOD_SRS, got.get("AT11|any|total|total").getAs("method"));
    assertEquals(36L - 1, got.get("AT11|any|total|total").<Long>getAs("design_df"));
  }

  @Test
  void smallCellsAreSuppressedOrFlagged() {
    List<Person> ps = people(true);
    Map<String, Row> got = estimate(ps, 10, 30);
    Set<String> seen = new HashSet<>();
    for (Row r : got.values()) {
      long n = r.getAs("n");
      String rel = r.getAs("reliability");
      seen.add(rel);
      if (n < 10) {
        assertEquals("suppressed", rel);
        for (String c : List.of("rate", "se", "ci_low", "ci_high", "weighted_participants", "weighted_population")) {
          assertTrue(r.isNullAt(r.fieldIndex(c)), c + " must be null in a suppressed cell");
        }
      } else if (n < 30) {
        assertEquals("low", rel);
      } else {
        assertEquals("ok", rel);
      }
    }
    assertEquals(Set.of("suppressed", "low", "ok"), seen);
  }
}
