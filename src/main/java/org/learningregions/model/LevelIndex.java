package org.learningregions.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Slots for 64-bit level keys (a fixed effect's or cluster's values): open addressing, no boxing, so a lookup per
 * row costs a few nanoseconds. Slots are numbered 0, 1, 2... in the order keys were first added.
 */
final class LevelIndex implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int EMPTY = -1;

  private long[] table;
  private int[] slots;
  private long[] keys;
  private int size;

  LevelIndex(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    table = new long[cap];
    slots = new int[cap];
    Arrays.fill(slots, EMPTY);
    keys = new long[Math.max(16, expected)];
  }

  /** The key's slot, adding the key when it is new. */
  int slotOf(long key) {
    int mask = table.length - 1;
    int i = mix(key) & mask;
    while (slots[i] != EMPTY) {
      if (table[i] == key) {
        return slots[i];
      }
      i = (i + 1) & mask;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
    }
    table[i] = key;
    slots[i] = size;
    keys[size] = key;
    size++;
    if (size * 2 > table.length) {
      rehash();
    }
    return size - 1;
  }

  /** The key's slot, or -1 when it is not there. */
  int find(long key) {
    int mask = table.length - 1;
    int i = mix(key) & mask;
    while (slots[i] != EMPTY) {
      if (table[i] == key) {
        return slots[i];
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  int size() {
    return size;
  }

  long key(int slot) {
    return keys[slot];
  }

  private void rehash() {
    long[] oldKeys = Arrays.copyOf(keys, size);
    int cap = table.length * 2;
    table = new long[cap];
    slots = new int[cap];
    Arrays.fill(slots, EMPTY);
    int mask = cap - 1;
    for (int s = 0; s < oldKeys.length; s++) {
      int i = mix(oldKeys[s]) & mask;
      while (slots[i] != EMPTY) {
        i = (i + 1) & mask;
      }
      table[i] = oldKeys[s];
      slots[i] = s;
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
