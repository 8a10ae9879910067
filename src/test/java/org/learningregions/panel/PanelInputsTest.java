package org.learningregions.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.learningregions.SparkTestSession;

/**
 * Panel inputs given as an ordered list of selections: national-accounts employment where a region-year has it, LFS
 * employment otherwise; the other-dimension filter matches name=code pairs whatever else the row carries.
 */
class PanelInputsTest {
  static final StructType SILVER = new StructType()
      .add("nuts_level", DataTypes.IntegerType).add("indicator", DataTypes.StringType)
      .add("unit", DataTypes.StringType).add("sex", DataTypes.StringType).add("age", DataTypes.StringType)
      .add("other_dims", DataTypes.StringType).add("region_code", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("value", DataTypes.DoubleType).add("flag", DataTypes.StringType)
      .add("source_dataset", DataTypes.StringType);

  static Row obs(String indicator, String unit, String sex, String age, String other, String region, int year,
      double value, String dataset) {
    return RowFactory.create(2, indicator, unit, sex, age, other, region, year, value, "", dataset);
  }

  @Test
  void firstListedSelectionWinsWhereItHasAValue() {
    List<Row> rows = new ArrayList<>();
    for (String region : List.of("AT11", "AT12")) {
      rows.add(obs("gdp_eur_m", "MIO_EUR", "", "", "", region, 2014, 8000, "nama_10r_2gdp"));
      rows.add(obs("lifelong_learning_rate", "PC", "T", "Y25-64", "", region, 2014, 12.0, "trng_lfse_04"));
      rows.add(obs("employment_thousand", "THS", "T", "Y_GE15", "", region, 2014, 100, "lfst_r_lfe2emp"));
      rows.add(obs("employment_thousand", "THS", "F", "Y_GE15", "", region, 2014, 45, "lfst_r_lfe2emp"));
    }
    // National accounts only for AT11; a second row for another NACE sector must not be picked.
    rows.add(obs("employment_thousand", "THS_PER", "", "", "freq=A,nace_r2=TOTAL,wstatus=EMP", "AT11", 2014, 125,
        "nama_10r_2emhrw"));
    rows.add(obs("employment_thousand", "THS_PER", "", "", "freq=A,nace_r2=C,wstatus=EMP", "AT11", 2014, 20,
        "nama_10r_2emhrw"));
    Dataset<Row> silver = SparkTestSession.get().createDataFrame(rows, SILVER);
    PanelBuilder builder = new PanelBuilder(new PanelSettings(2, "official", 1, 5, Map.of(
        "gdp-eur", List.of(new SeriesSelection("gdp_eur_m", null, null, null, null, null)),
        "learning", List.of(new SeriesSelection("lifelong_learning_rate", null, "T", "Y25-64", null, null)),
        "employment", List.of(
            new SeriesSelection("employment_thousand", "nama_10r_2emhrw", null, null, null,
                "nace_r2=TOTAL,wstatus=EMP"),
            new SeriesSelection("employment_thousand", "lfst_r_lfe2emp", "T", "Y_GE15", null, null)))));
    List<Row> panel = builder.build(SparkTestSession.get(), silver, null, null).panel()
        .select("region_code", "employment_thousand", "productivity_eur").orderBy("region_code").collectAsList();
    assertEquals(2, panel.size());
    assertEquals(125.0, panel.get(0).<Double>getAs("employment_thousand"), 0.0);
    assertEquals(8000e6 / 125e3, panel.get(0).<Double>getAs("productivity_eur"), 1e-9);
    assertEquals(100.0, panel.get(1).<Double>getAs("employment_thousand"), 0.0);
  }

  @Test
  void everyRegionYearWithAnySeriesOrMicrodataIsARowWithItsSources() {
    List<Row> rows = new ArrayList<>();
    rows.add(obs("gdp_eur_m", "MIO_EUR", "", "", "", "AT11", 2014, 8000, "nama_10r_2gdp"));
    // Two datasets for one selection: the alphabetically last one is read.
    rows.add(obs("gdp_eur_m", "MIO_EUR", "", "", "", "AT11", 2014, 7000, "nama_10r_2gdp_a"));
    rows.add(obs("employment_thousand", "THS", "T", "Y_GE15", "", "AT11", 2014, 100, "lfst_r_lfe2emp"));
    rows.add(obs("employment_thousand", "THS", "T", "Y_GE15", "", "AT12", 2015, 90, "lfst_r_lfe2emp"));
    Dataset<Row> silver = SparkTestSession.get().createDataFrame(rows, SILVER);
    StructType ratesSchema = new StructType().add("region_code", DataTypes.StringType)
        .add("nuts_level", DataTypes.IntegerType).add("year", DataTypes.IntegerType)
        .add("measure", DataTypes.StringType).add("breakdown", DataTypes.StringType)
        .add("rate", DataTypes.DoubleType).add("se", DataTypes.DoubleType)
        .add("reliability", DataTypes.StringType).add("survey", DataTypes.StringType);
    // AT13 has a microdata estimate and nothing else; AT11 has both.
    Dataset<Row> rates = SparkTestSession.get().createDataFrame(List.of(
        RowFactory.create("AT13", 2, 2014, "any", "total", 9.5, 0.8, "ok", "lfs"),
        RowFactory.create("AT11", 2, 2014, "any", "total", 11.0, 0.7, "ok", "lfs")), ratesSchema);
    PanelBuilder builder = new PanelBuilder(new PanelSettings(2, "official-then-microdata", 1, 5, Map.of(
        "gdp-eur", List.of(new SeriesSelection("gdp_eur_m", null, null, null, null, null)),
        "employment", List.of(new SeriesSelection("employment_thousand", null, "T", "Y_GE15", null, null)))));
    List<Row> years = builder.build(SparkTestSession.get(), silver, rates, null).regionYears()
        .select("region_code", "year", "gdp_eur_m", "gdp_source", "employment_thousand",
            "learning_rate_microdata", "learning_rate")
        .orderBy("region_code", "year").collectAsList();
    assertEquals(3, years.size(), years.toString());
    Row at11 = years.get(0);
    assertEquals("AT11", at11.getString(0));
    assertEquals(7000.0, at11.<Double>getAs("gdp_eur_m"), 0.0);
    assertTrue(at11.<String>getAs("gdp_source").startsWith("nama_10r_2gdp_a"), at11.toString());
    assertEquals(100.0, at11.<Double>getAs("employment_thousand"), 0.0);
    assertEquals(11.0, at11.<Double>getAs("learning_rate"), 0.0);
    Row at12 = years.get(1);
    assertEquals(List.of("AT12", 2015), List.of(at12.getString(0), at12.getInt(1)));
    assertNull(at12.getAs("gdp_eur_m"));
    assertNull(at12.getAs("learning_rate_microdata"));
    Row at13 = years.get(2);
    assertEquals(List.of("AT13", 2014), List.of(at13.getString(0), at13.getInt(1)));
    assertNull(at13.getAs("gdp_eur_m"));
    assertEquals(9.5, at13.<Double>getAs("learning_rate"), 0.0);
  }
}
