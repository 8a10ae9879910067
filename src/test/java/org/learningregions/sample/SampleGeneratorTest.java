package org.learningregions.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator is deterministic, sized as asked, and writes the real files' layouts. */
@Tag("fast")
class SampleGeneratorTest {
  @TempDir
  Path tmp;

  static SampleSpec spec(long seed) {
    return new SampleSpec(seed, 2015, 2018, List.of("AT", "FI"), 12, 0.01, 0.01, 4, 0.25, 0);
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
    new SampleGenerator(spec(1)).generate(tmp.resolve("a"));
    new SampleGenerator(spec(1)).generate(tmp.resolve("b"));
    new SampleGenerator(spec(2)).generate(tmp.resolve("c"));
    for (String f : List.of(SampleGenerator.GDP_FILE, SampleGenerator.MICRODATA_FILE, SampleGenerator.LEARNING_FILE)) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b")
          .resolve(f)));
    }
    assertFalse(Files.readString(tmp.resolve("a").resolve(SampleGenerator.MICRODATA_FILE))
        .equals(Files.readString(tmp.resolve("c").resolve(SampleGenerator.MICRODATA_FILE))));
  }

  @Test
  void sizesAndLayoutsAreAsSpecified() throws Exception {
    SampleGenerator.Result r = new SampleGenerator(spec(3)).generate(tmp);
    // AT has 9 NUTS 2 regions, FI 5 (extra-regio codes excluded).
    assertEquals(14, r.regions());
    assertEquals(14L * 4 * 12, r.microdataRows());
    List<String> micro = Files.readAllLines(tmp.resolve(SampleGenerator.MICRODATA_FILE));
    assertEquals(14 * 4 * 12 + 1, micro.size());
    assertTrue(micro.get(0).startsWith("survey,year,respondent_id,region_code,age,sex,education_level"));
    List<String> gdp = Files.readAllLines(tmp.resolve(SampleGenerator.GDP_FILE));
    assertEquals("freq,unit,geo\\TIME_PERIOD\t2015 \t2016 \t2017 \t2018 ", gdp.get(0));
    List<String> emp = Files.readAllLines(tmp.resolve(SampleGenerator.EMPLOYMENT_FILE));
    assertEquals("unit,sex,age,geo\\time\t2018 \t2017 \t2016 \t2015 ", emp.get(0), "older layout, years descending");
    assertTrue(gdp.stream().anyMatch(l -> l.contains(" p")), "provisional flags");
    List<String> registry = Files.readAllLines(tmp.resolve(SampleGenerator.REGISTRY_FILE));
    assertEquals(13, registry.size());
    assertTrue(registry.stream().anyMatch(l -> l.startsWith("Espoo,FI,FI1B,")));
    assertTrue(Files.readString(tmp.resolve(SampleGenerator.MANIFEST_FILE)).contains("\"beta\" : 0.01"));
    // The EU-LFS breakdowns in the real extra files' layouts: ten sections and their total per region; the
    // employed 25-64 by attainment; the learning rate by sex besides the total.
    List<String> sectors = Files.readAllLines(tmp.resolve(SampleGenerator.SECTOR_FILE));
    assertEquals("unit,nace_r2,age,geo\\time\t2018 \t2017 \t2016 \t2015 ", sectors.get(0));
    assertEquals(1 + 14 * 11, sectors.size());
    double sum = 0;
    for (String l : sectors.subList(1, 11)) {
      assertTrue(l.endsWith(",Y_GE15,AT11") || l.contains(",Y_GE15,AT11\t"), l);
      sum += Double.parseDouble(l.split("\t")[1].trim());
    }
    assertTrue(sectors.get(11).startsWith("THS,TOTAL,Y_GE15,AT11\t"), sectors.get(11));
    assertEquals(sum, Double.parseDouble(sectors.get(11).split("\t")[1].trim()), 1e-6, "total = sum of sections");
    List<String> education = Files.readAllLines(tmp.resolve(SampleGenerator.EDUCATION_FILE));
    assertEquals(1 + 14 * 2, education.size());
    assertTrue(education.get(1).startsWith("THS,T,Y25-64,ED5-8,AT11\t"), education.get(1));
    List<String> learning = Files.readAllLines(tmp.resolve(SampleGenerator.LEARNING_FILE));
    assertTrue(learning.stream().anyMatch(l -> l.startsWith("A,PC,F,Y25-64,AT11\t")));
    assertTrue(learning.stream().anyMatch(l -> l.startsWith("A,PC,M,Y25-64,AT11\t")));
  }

  @Test
  void maxRegionsCapsTheSample() {
    SampleSpec s = spec(3);
    SampleSpec capped = new SampleSpec(s.seed(), s.firstYear(), s.lastYear(), s.countries(),
        s.respondentsPerRegionYear(), s.beta(), s.noiseSd(), s.psuSize(), s.psuSd(), 5);
    assertEquals(5, new SampleGenerator(capped).generate(tmp.resolve("capped")).regions());
  }
}
