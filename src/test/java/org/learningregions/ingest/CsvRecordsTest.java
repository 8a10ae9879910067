package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.learningregions.SparkTestSession;

/**
 * The fields a CSV line splits into, and its structural error, against Spark's CSV parser and the quote-aware field
 * count computed independently: lines without quotes are split at their commas, which must give what the parser
 * gives.
 */
class CsvRecordsTest {
  private static final List<String> LINES = List.of("a,b,c,d", "a,,c,", ",,,", "a,b,c", "a,b,c,d,e", " a , b ,c,d ",
      "é,ü,€,\uD834\uDD1E", "a,b,c,d,", "a\tb,c,d,e", "a;b;c;d", "\"a,b\",c,d,e", "\"a\"\"b\",c,,d",
      "\"unbalanced,c,d,e", "\"\",c,d,e", "x,\"y\",z,");

  @Test
  void splitLinesHaveTheParsersFieldsAndCounts() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> lines = spark.createDataset(LINES, Encoders.STRING()).toDF("raw");
    String schema = StructType.fromDDL(CsvHeader.stringSchema(4)).toDDL();
    List<Row> rows = CsvRecords.withFields(lines, 4)
        .withColumn("parsed", from_csv(col("raw"), lit(schema), CsvRecords.RFC4180))
        .withColumn("quote_free_count", size(split(regexp_replace(col("raw"), "\"([^\"]|\"\")*\"", "x"), ",")))
        .select("raw", "f", "parsed", "structural_error", "quote_free_count").collectAsList();
    assertEquals(LINES.size(), rows.size());
    for (Row r : rows) {
      String raw = r.getString(0);
      assertEquals(r.get(2), r.get(1), raw);
      int quotes = raw.length() - raw.replace("\"", "").length();
      String expected = quotes % 2 == 1 ? "wrong_field_count:unbalanced_quotes"
          : r.getInt(4) != 4 ? "wrong_field_count:fields" : null;
      assertEquals(expected, r.getString(3), raw);
    }
    // The cases the split must get right, spelled out: empty fields are null, blanks are kept as they are.
    Row sparse = rows.stream().filter(r -> r.getString(0).equals("a,,c,")).findFirst().orElseThrow();
    assertEquals("[a,null,c,null]", sparse.getStruct(1).toString());
    Row blanks = rows.stream().filter(r -> r.getString(0).startsWith(" a ")).findFirst().orElseThrow();
    assertEquals(" a ", blanks.getStruct(1).getString(0));
  }
}
