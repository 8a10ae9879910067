package org.learningregions.ingest;

/**
 * Strict UTF-8 validation of a byte range without decoding it (the scan of a large file checks every byte, so it
 * must not allocate per line): rejects stray continuation bytes, truncated sequences, overlong forms, surrogates
 * and code points above U+10FFFF, as {@link java.nio.charset.CharsetDecoder} with REPORT does.
 */
final class Utf8 {
  private Utf8() {}

  /** Offset of the first byte that makes {@code b[off, off+len)} invalid UTF-8, or -1 when it is valid. */
  static int firstInvalid(byte[] b, int off, int len) {
    return firstInvalid(b, off, len, false);
  }

  /**
   * As {@link #firstInvalid(byte[], int, int)}, with a NUL byte also counted as invalid: valid UTF-8, but never in
   * text, and checked in the same pass at no extra cost.
   */
  static int firstInvalidText(byte[] b, int off, int len) {
    return firstInvalid(b, off, len, true);
  }

  private static int firstInvalid(byte[] b, int off, int len, boolean nulInvalid) {
    int i = off;
    int end = off + len;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        if (c == 0 && nulInvalid) {
          return i;
        }
        i++;
        continue;
      }
      int need;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + need >= end) {
        return i;
      }
      int cp = c & (0x3f >> need);
      for (int k = 1; k <= need; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return i;
      }
      i += need + 1;
    }
    return -1;
  }
}
