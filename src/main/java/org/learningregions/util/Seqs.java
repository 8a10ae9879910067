package org.learningregions.util;

import java.util.Arrays;

/** Scala sequences for the Spark Dataset API calls that take them (join on column names). */
public final class Seqs {
  private Seqs() {}

  public static scala.collection.immutable.Seq<String> of(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(names)).toList();
  }
}
