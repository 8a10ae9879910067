package org.learningregions.sample;

import java.util.List;

/**
 * The twelve case-study cities of UNESCO's 2015 learning-cities study with the region that contains each. Regions
 * are NUTS 2021 codes in Europe, OECD TL2 codes where the OECD publishes them (AU, MX, KR), and ISO 3166-2
 * subdivision codes elsewhere. {@code year_joined} is the year the city is first documented as a learning city in
 * the cited source (the study's year), not a membership date of the Global Network of Learning Cities.
 */
public final class LearningCityRegistry {
  private LearningCityRegistry() {}

  public static final String HEADER = "city,country,region_code,year_joined,source";

  private static final String SOURCE =
      "UNESCO Institute for Lifelong Learning (2015) Unlocking the Potential of Urban Communities: Case Studies of "
          + "Twelve Learning Cities";

  /** One registry line: city, ISO 3166-1 alpha-2 country, region code, year, source. */
  public record Entry(String city, String country, String regionCode, int yearJoined, String source) {}

  public static List<Entry> unesco2015() {
    return List.of(
        new Entry("Melton", "AU", "AU2", 2015, SOURCE),
        new Entry("Sorocaba", "BR", "BR-SP", 2015, SOURCE),
        new Entry("Beijing", "CN", "CN-BJ", 2015, SOURCE),
        new Entry("Bahir Dar", "ET", "ET-AM", 2015, SOURCE),
        new Entry("Espoo", "FI", "FI1B", 2015, SOURCE),
        new Entry("Cork", "IE", "IE05", 2015, SOURCE),
        new Entry("Amman", "JO", "JO-AM", 2015, SOURCE),
        new Entry("Mexico City", "MX", "ME09", 2015, SOURCE),
        new Entry("Ybycuí", "PY", "PY-9", 2015, SOURCE),
        new Entry("Balanga", "PH", "PH-03", 2015, SOURCE),
        new Entry("Namyangju", "KR", "KR01", 2015, SOURCE),
        new Entry("Swansea", "UK", "UKL1", 2015, SOURCE));
  }
}
