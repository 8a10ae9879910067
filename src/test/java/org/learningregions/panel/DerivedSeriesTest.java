package org.learningregions.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.learningregions.LearningRegionsException;
import org.learningregions.SparkTestSession;

/**
 * Derived panel columns against their definitions computed here term by term: a share of the employed, a difference
 * between sexes, and Lilien's index from its defining sum (the class computes it from an expanded form); and the
 * vintage rule (the newest vintage of a dataset wins whole, a named one where it exists).
 */
class DerivedSeriesTest {
  static final StructType SILVER = new StructType()
      .add("nuts_level", DataTypes.IntegerType).add("indicator", DataTypes.StringType)
      .add("unit", DataTypes.StringType).add("sex", DataTypes.StringType).add("age", DataTypes.StringType)
      .add("other_dims", DataTypes.StringType).add("region_code", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("value", DataTypes.DoubleType).add("flag", DataTypes.StringType)
      .add("source_dataset", DataTypes.StringType).add("source_file", DataTypes.StringType);

  static Row nace(String code, String region, int year, double value) {
    return RowFactory.create(2, "employment_by_nace_thousand", "THS", "", "Y_GE15", "nace_r2=" + code, region, year,
        value, "", "lfst_r_lfe2en2", "extra/lfst_r_lfe2en2.tsv");
  }

  static final SeriesSelection NACE = new SeriesSelection("employment_by_nace_thousand", null, null, "Y_GE15", null,
      null);

  @Test
  void shareIsTheSumOfItsPartsOverTheTotalAndNeedsEveryPart() {
    List<Row> rows = new ArrayList<>(List.of(nace("J", "AT11", 2014, 3), nace("K", "AT11", 2014, 2),
        nace("M_N", "AT11", 2014, 5), nace("TOTAL", "AT11", 2014, 80), nace("A", "AT11", 2014, 9),
        nace("J", "AT12", 2014, 3), nace("TOTAL", "AT12", 2014, 50)));
    Dataset<Row> silver = SparkTestSession.get().createDataFrame(rows, SILVER);
    DerivedSeries share = new DerivedSeries("knowledge_share", "share", "", NACE, "nace_r2",
        List.of("J", "K", "M_N"), "TOTAL");
    Map<String, Double> got = values(share.compute(silver), "knowledge_share");
    assertEquals(100.0 * (3 + 2 + 5) / 80, got.get("AT11:2014"), 1e-12);
    // AT12 has no K and no M_N: no share rather than a share of the parts it has.
    assertTrue(got.containsKey("AT12:2014") && got.get("AT12:2014") == null, got.toString());
  }

  @Test
  void differenceSubtractsOneCodeFromTheOther() {
    List<Row> rows = List.of(
        RowFactory.create(2, "lifelong_learning_rate", "PC", "F", "Y25-64", "", "FI1B", 2015, 31.5, "", "trng",
            "trng.tsv"),
        RowFactory.create(2, "lifelong_learning_rate", "PC", "M", "Y25-64", "", "FI1B", 2015, 24.0, "", "trng",
            "trng.tsv"),
        RowFactory.create(2, "lifelong_learning_rate", "PC", "T", "Y25-64", "", "FI1B", 2015, 27.7, "", "trng",
            "trng.tsv"));
    Dataset<Row> silver = SparkTestSession.get().createDataFrame(rows, SILVER);
    DerivedSeries gap = new DerivedSeries("gap", "difference", "", new SeriesSelection("lifelong_learning_rate",
        null, null, "Y25-64", null, null), "sex", List.of("F"), "M");
    assertEquals(7.5, values(gap.compute(silver), "gap").get("FI1B:2015"), 1e-12);
  }

  @Test
  void lilienIndexEqualsItsDefinition() {
    String[] sectors = {"A", "B-E", "G-I", "K"};
    double[][] e = {{12, 40, 55, 9}, {11, 38, 60, 10}, {10, 39, 58, 12}};
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t < e.length; t++) {
      for (int i = 0; i < sectors.length; i++) {
        rows.add(nace(sectors[i], "SE11", 2010 + t, e[t][i]));
      }
      // The total and a sector not listed must not enter the index.
      rows.add(nace("TOTAL", "SE11", 2010 + t, 1000));
      rows.add(nace("L", "SE11", 2010 + t, 100 + 50 * t));
    }
    // A region with a sector missing in one year has no index in that year or the next.
    rows.add(nace("A", "SE12", 2010, 5));
    rows.add(nace("B-E", "SE12", 2010, 5));
    rows.add(nace("A", "SE12", 2011, 6));
    Dataset<Row> silver = SparkTestSession.get().createDataFrame(rows, SILVER);
    DerivedSeries lilien = new DerivedSeries("lilien", "lilien", "", NACE, "nace_r2", List.of(sectors), null);
    Map<String, Double> got = values(lilien.compute(silver), "lilien");
    for (int t = 1; t < e.length; t++) {
      double total = 0;
      double total0 = 0;
      for (int i = 0; i < sectors.length; i++) {
        total += e[t][i];
        total0 += e[t - 1][i];
      }
      double growth = Math.log(total / total0);
      double sum = 0;
      for (int i = 0; i < sectors.length; i++) {
        double d = Math.log(e[t][i] / e[t - 1][i]) - growth;
        sum += e[t][i] / total * d * d;
      }
      assertEquals(Math.sqrt(sum), got.get("SE11:" + (2010 + t)), 1e-12, "year " + (2010 + t));
    }
    assertEquals(2, got.keySet().stream().filter(k -> k.startsWith("SE11")).count(), "no index in the first year");
    assertTrue(got.get("SE12:2011") == null, got.toString());
    // Against a total: the listed sectors hold 11.6-12.0% of SE11's 1,000 (the rest is L): enough at 10%, too
    // little at 50%.
    Map<String, Double> atTen = values(new DerivedSeries("lilien", "lilien", "", NACE, "nace_r2", List.of(sectors),
        "TOTAL", 0.10).compute(silver), "lilien");
    assertEquals(got.get("SE11:2012"), atTen.get("SE11:2012"), 1e-15);
    Map<String, Double> atHalf = values(new DerivedSeries("lilien", "lilien", "", NACE, "nace_r2", List.of(sectors),
        "TOTAL", 0.5).compute(silver), "lilien");
    assertTrue(atHalf.get("SE11:2012") == null, atHalf.toString());
  }

  @Test
  void specsWithoutTheirCodesAreUsageErrors() {
    assertThrows(LearningRegionsException.class, () -> new DerivedSeries("x", "share", "", NACE, "nace_r2",
        List.of("J"), null));
    assertThrows(LearningRegionsException.class, () -> new DerivedSeries("x", "ratio", "", NACE, "nace_r2",
        List.of("J"), "TOTAL"));
    assertThrows(LearningRegionsException.class, () -> new DerivedSeries("X-1", "share", "", NACE, "nace_r2",
        List.of("J"), "TOTAL"));
  }

  @Test
  void theLatestVintageOfADatasetIsReadWholeAndANamedOneWhereItExists() {
    List<Row> rows = List.of(
        RowFactory.create(2, "lifelong_learning_rate", "PC", "T", "Y25-64", "", "AT11", 2014, 6.0, "", "trng_lfse_04",
            "eurostat_2017/trng_lfse_04.tsv"),
        RowFactory.create(2, "lifelong_learning_rate", "PC", "T", "Y25-64", "", "AT11", 2015, 6.1, "", "trng_lfse_04",
            "eurostat_2017/trng_lfse_04.tsv"),
        RowFactory.create(2, "lifelong_learning_rate", "PC", "T", "Y25-64", "", "AT11", 2014, 6.3, "", "trng_lfse_04",
            "eurostat_2024/trng_lfse_04.tsv"),
        RowFactory.create(2, "lifelong_learning_rate", "PC", "T", "Y25-64", "", "AT11", 2023, 9.0, "", "trng_lfse_04",
            "eurostat_2024/trng_lfse_04.tsv"),
        RowFactory.create(2, "gdp_eur_m", "MIO_EUR", "", "", "", "AT11", 2014, 7600.0, "", "nama_10r_2gdp",
            "eurostat_2017/nama_10r_2gdp.tsv"));
    Dataset<Row> silver = SparkTestSession.get().createDataFrame(rows, SILVER);
    Map<String, String> latest = Vintages.choose(silver, "latest");
    assertEquals(Map.of("trng_lfse_04", "eurostat_2024", "nama_10r_2gdp", "eurostat_2017"), latest);
    // The newest vintage has no 2015: the older one's 2015 is not mixed in.
    assertEquals(List.of(6.3, 9.0), Vintages.select(silver, latest).filter("indicator = 'lifelong_learning_rate'")
        .orderBy("year").select("value").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList());
    assertEquals("eurostat_2017", Vintages.choose(silver, "eurostat_2017").get("trng_lfse_04"));
    assertEquals("nama_10r_2gdp (eurostat_2017), trng_lfse_04 (eurostat_2024)", Vintages.describe(latest));
  }

  private static Map<String, Double> values(Dataset<Row> df, String column) {
    Map<String, Double> out = new java.util.HashMap<>();
    for (Row r : df.collectAsList()) {
      out.put(r.getAs("region_code") + ":" + r.getAs("year"), r.isNullAt(r.fieldIndex(column)) ? null
          : r.<Double>getAs(column));
    }
    return out;
  }
}
