package org.learningregions.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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

  @Test
  void columnsCutFromALineAreTheColumnsReadFromIt() {
    SparkSession spark = SparkTestSession.get();
    InputFile file = new InputFile("/nowhere/t.csv", "t.csv", SourceFormat.MICRODATA_CSV, "t", "0", "0", 0, 0,
        "a,b,c,d", "UTF-8", LINES.size() + 1, 0, List.of());
    List<Row> numbered = new ArrayList<>();
    for (int i = 0; i < LINES.size(); i++) {
      numbered.add(RowFactory.create("t.csv", "0", "t", "MICRODATA_CSV", i + 2L, LINES.get(i)));
    }
    Dataset<Row> lines = spark.createDataFrame(numbered, NumberedLines.SCHEMA);
    List<String> columns = List.of("d", "b", "a", "absent");
    UnaryOperator<String> sourceName = c -> c;
    List<Row> read = CsvRecords.read(lines, file, columns, sourceName, List.of())
        .filter(col("structural_error").isNull()).select("line_no", "d", "b", "a", "absent").collectAsList();
    // A local relation keeps its order: the n-th row cut is the n-th line.
    List<Row> cutRows = CsvRecords.readColumns(lines, file, columns, sourceName).collectAsList();
    assertEquals(LINES.size(), cutRows.size());
    for (Row r : read) {
      Row c = cutRows.get((int) (r.getLong(0) - 2));
      for (int i = 1; i <= 4; i++) {
        assertEquals(r.get(i), c.get(i), LINES.get((int) (r.getLong(0) - 2)));
      }
    }
    // The ten lines with four fields and balanced quotes, each compared above.
    assertEquals(10, read.size());
  }
}
