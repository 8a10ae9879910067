package org.learningregions.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The project's CSV dialect. */
@Tag("fast")
class CsvWriterTest {
  @Test
  void quotingNumbersAndNulls() throws IOException {
    StringWriter out = new StringWriter();
    CsvWriter csv = new CsvWriter(out, true);
    csv.row(Arrays.asList("a,b", "say \"hi\"", null, 1e-7, 0.1f, 12L, Double.NaN, true, "line\nbreak"));
    csv.flush();
    assertEquals("\"a,b\",\"say \"\"hi\"\"\",,0.0000001,0.1,12,,true,\"line\nbreak\"\n", out.toString());
  }

  @Test
  void plainNotation() {
    assertEquals("1234567890123", CsvWriter.plain(1234567890123.0));
    assertEquals("-0.00012", CsvWriter.plain(-1.2e-4));
    assertEquals("3", CsvWriter.plain(3.0));
  }
}
