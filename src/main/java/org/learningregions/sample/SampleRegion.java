package org.learningregions.sample;

import org.learningregions.validate.NutsCatalog;

/** One sample region's drawn series; index 0 of every array is the year before the first published year. */
final class SampleRegion {
  NutsCatalog.Region nuts;
  double[] learningTrue;
  double[] learningPublished;
  boolean[] learningMissing;
  double[] population;
  double[] employmentThousand;
  double[] gdpEur;
  double[] gdpPps;
  boolean[] gdpMissing;
  double[] tertiary;
  boolean lowReliability;
}
