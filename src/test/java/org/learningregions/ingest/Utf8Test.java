package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The allocation-free UTF-8 check agrees with the JDK's strict decoder. */
@Tag("fast")
class Utf8Test {
  private static boolean jdkValid(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void knownCases() {
    assertEquals(-1, Utf8.firstInvalid("Région Île-de-France ĳ 中 😀".getBytes(StandardCharsets.UTF_8), 0,
        "Région Île-de-France ĳ 中 😀".getBytes(StandardCharsets.UTF_8).length));
    byte[] latin1 = "Côte".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(1, Utf8.firstInvalid(latin1, 0, latin1.length));
    byte[] overlong = {(byte) 0xc0, (byte) 0xaf};
    assertEquals(0, Utf8.firstInvalid(overlong, 0, 2));
    byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
    assertEquals(0, Utf8.firstInvalid(surrogate, 0, 3));
    byte[] truncated = {'a', (byte) 0xe2, (byte) 0x82};
    assertEquals(1, Utf8.firstInvalid(truncated, 0, 3));
    byte[] tooHigh = {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
    assertEquals(0, Utf8.firstInvalid(tooHigh, 0, 4));
  }

  @Test
  void agreesWithTheJdkOnRandomBytes() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[random.nextInt(12)];
      for (int j = 0; j < b.length; j++) {
        // Mostly high bytes, so that multi-byte sequences of every shape occur.
        b[j] = (byte) (random.nextInt(4) == 0 ? random.nextInt(128) : 0x80 + random.nextInt(128));
      }
      assertEquals(jdkValid(b), Utf8.firstInvalid(b, 0, b.length) < 0, java.util.Arrays.toString(b));
    }
  }
}
