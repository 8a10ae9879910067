package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Line splitting as the driver's scan and the executors' chunk reads share it. */
@Tag("fast")
class LineIteratorTest {
  private static List<String> lines(String text, int readLimit) throws IOException {
    LineIterator it = new LineIterator(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), readLimit);
    List<String> out = new ArrayList<>();
    while (it.next()) {
      out.add(new String(it.bytes(), 0, it.length(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void everyTerminatorEndsALineAndNoneIsPartOfIt() throws IOException {
    assertEquals(List.of("a", "b", "c", "d", ""), lines("a\nb\r\nc\rd\n\n", -1));
    assertEquals(List.of("last without newline"), lines("last without newline", -1));
    assertEquals(List.of(), lines("", -1));
    assertEquals(List.of("x", ""), lines("x\r\r\n", -1), "a lone CR then a CRLF: two lines");
  }

  @Test
  void aCrlfSplitAcrossReadBuffersIsOneTerminator() throws IOException {
    // The iterator reads 64 KiB at a time: put the CR at the last byte of the first read.
    String first = "x".repeat((1 << 16) - 1);
    assertEquals(List.of(first, "y"), lines(first + "\r\ny", -1));
  }

  @Test
  void aLimitStopsAfterTheChunkAndNumbersStartAtOne() throws IOException {
    byte[] text = "h\nl2\nl3\nl4\n".getBytes(StandardCharsets.UTF_8);
    InputStream in = new ByteArrayInputStream(text, 2, text.length - 2);
    LineIterator it = new LineIterator(in, 6);
    assertTrue(it.next());
    assertEquals(1, it.lineNumber());
    assertEquals(3, it.position());
    assertTrue(it.next());
    assertEquals(6, it.position());
    assertFalse(it.next(), "the chunk of 6 bytes holds two lines");
  }

  @Test
  void linesLongerThanTheBufferGrowIt() throws IOException {
    String long1 = "é".repeat(100_000);
    assertEquals(List.of(long1, "b"), lines(long1 + "\nb", -1));
  }

  @Test
  void blankAndTerminationAreReported() throws IOException {
    LineIterator it = new LineIterator(new ByteArrayInputStream(" \t\nx".getBytes(StandardCharsets.UTF_8)), -1);
    assertTrue(it.next());
    assertTrue(it.blank());
    assertTrue(it.lastTerminated());
    assertTrue(it.next());
    assertFalse(it.blank());
    assertFalse(it.lastTerminated(), "the file ends in the middle of a line");
  }
}
