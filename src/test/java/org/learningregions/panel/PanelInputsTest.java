package org.learningregions.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
