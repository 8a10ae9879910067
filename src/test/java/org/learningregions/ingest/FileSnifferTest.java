package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.util.Hashing;

/** The driver's one pass over a file: format, identity, encoding, and chunks that number lines exactly. */
@Tag("fast")
class FileSnifferTest {
  @TempDir
  Path tmp;

  private InputFile sniff(Path p, long chunkBytes) {
    return FileSniffer.sniff(p.toString(), null, MicrodataColumns.identity(), new Configuration(), chunkBytes);
  }

  @Test
  void chunksStartAtLineStartsWithTheirLineNumbers() throws IOException {
    StringBuilder sb = new StringBuilder("survey,year,respondent_id,region_code,age,sex,formal,non_formal,weight\r\n");
    for (int i = 0; i < 5000; i++) {
      // Mixed terminators, as files edited on several systems have.
      sb.append("S,2020,r").append(i).append(",AT11,40,F,0,1,1.5").append(i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n"
          : "\r");
    }
    Path p = tmp.resolve("micro.csv");
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    InputFile f = sniff(p, 4096);
    assertEquals(SourceFormat.MICRODATA_CSV, f.format());
    assertEquals(5001, f.lines());
    assertTrue(f.chunks().size() > 10, "several chunks: " + f.chunks().size());
    assertEquals(Hashing.hex(Hashing.sha256().digest(Files.readAllBytes(p))), f.sha256());
    // Reading every chunk on its own gives the file's lines with their numbers, none twice, none lost.
    List<String> all = new ArrayList<>();
    long expectedNext = 1;
    for (LineChunk c : f.chunks()) {
      assertEquals(expectedNext, c.firstLine());
      try (InputStream in = Files.newInputStream(p)) {
        in.skipNBytes(c.offset());
        LineIterator it = new LineIterator(in, c.length());
        while (it.next()) {
          all.add(new String(it.bytes(), 0, it.length(), StandardCharsets.UTF_8));
          expectedNext++;
        }
      }
    }
    assertEquals(5001, all.size());
    assertEquals("S,2020,r0,AT11,40,F,0,1,1.5", all.get(1));
    assertEquals("S,2020,r4999,AT11,40,F,0,1,1.5", all.get(5000));
  }

  @Test
  void aEurostatTsvIsSplitAtItsOwnChunkSize() throws IOException {
    StringBuilder tsv = new StringBuilder("freq,unit,geo\\TIME_PERIOD\t2019 \t2020 \n");
    StringBuilder csv = new StringBuilder("survey,year,respondent_id,region_code,age,sex,formal,non_formal,weight\n");
    for (int i = 0; i < 2000; i++) {
      tsv.append("A,PC,AT").append(i).append("\t10.1 \t10.2 \n");
      csv.append("S,2020,r").append(i).append(",AT11,40,F,0,1,1.5\n");
    }
    Path t = tmp.resolve("estat_x.tsv");
    Path c = tmp.resolve("micro.csv");
    Files.writeString(t, tsv.toString(), StandardCharsets.UTF_8);
    Files.writeString(c, csv.toString(), StandardCharsets.UTF_8);
    InputFile ft = FileSniffer.sniff(t.toString(), null, MicrodataColumns.identity(), new Configuration(), 1 << 20,
        4096);
    InputFile fc = FileSniffer.sniff(c.toString(), null, MicrodataColumns.identity(), new Configuration(), 1 << 20,
        4096);
    assertTrue(ft.chunks().size() > 5, "TSV chunks: " + ft.chunks().size());
    assertEquals(1, fc.chunks().size());
    long lines = 0;
    for (LineChunk ch : ft.chunks()) {
      assertEquals(lines + 1, ch.firstLine());
      try (InputStream in = Files.newInputStream(t)) {
        in.skipNBytes(ch.offset());
        LineIterator it = new LineIterator(in, ch.length());
        while (it.next()) {
          lines++;
        }
      }
    }
    assertEquals(2001, lines);
  }

  @Test
  void gzipIsOneChunkAndItsDigestCoversTheCompressedBytes() throws IOException {
    Path p = tmp.resolve("estat_trng_lfse_04.tsv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write("freq,unit,geo\\TIME_PERIOD\t2020 \nA,PC,AT11\t10.1 \n".getBytes(StandardCharsets.UTF_8));
    }
    InputFile f = sniff(p, 16);
    assertEquals(SourceFormat.EUROSTAT_TSV, f.format());
    assertEquals("trng_lfse_04", f.dataset());
    assertEquals(List.of(new LineChunk(0, -1, 1)), f.chunks());
    assertEquals(Hashing.hex(Hashing.sha256().digest(Files.readAllBytes(p))), f.sha256());
  }

  @Test
  void latin1IsAcceptedOnlyForOecdStatExports() throws IOException {
    Path oecd = tmp.resolve("region_econom.csv");
    Files.write(oecd, ("\"REG_ID\",\"Region\",\"TIME\",\"Year\",\"Value\",\"Flag Codes\",\"Flags\"\n"
        + "\"FRL\",\"Provence-Alpes-Côte d'Azur\",\"2015\",\"2015\",\"1\",\"\",\"\"\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    assertEquals("ISO-8859-1", sniff(oecd, 1 << 20).charset());
    Path tsv = tmp.resolve("estat_x_y.tsv");
    Files.write(tsv, "unit,geo\\time\t2019 \nPC,AT\t1.0 \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    InputFileException e = assertThrows(InputFileException.class, () -> sniff(tsv, 1 << 20));
    assertEquals(FileProblem.NOT_UTF8, e.problem());
    assertTrue(e.getMessage().contains("(line 2)"), e.getMessage());
  }

  @Test
  void fileLevelProblemsAreTyped() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty.tsv"), "");
    assertEquals(FileProblem.EMPTY, assertThrows(InputFileException.class, () -> sniff(empty, 1 << 20)).problem());
    Path unknown = Files.writeString(tmp.resolve("notes.csv"), "a,b\n1,2\n");
    assertEquals(FileProblem.UNKNOWN_LAYOUT,
        assertThrows(InputFileException.class, () -> sniff(unknown, 1 << 20)).problem());
    Path cut = Files.writeString(tmp.resolve("estat_a_b.tsv"), "unit,geo\\time\t2015 \t2014 \nPC,AT11\t20.1");
    InputFileException e = assertThrows(InputFileException.class, () -> sniff(cut, 1 << 20));
    assertEquals(FileProblem.TRUNCATED, e.problem());
    Path headerOnly = Files.writeString(tmp.resolve("estat_c_d.tsv"), "unit,geo\\time\t2015 \n");
    assertEquals(FileProblem.NO_DATA_ROWS,
        assertThrows(InputFileException.class, () -> sniff(headerOnly, 1 << 20)).problem());
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheHeader() throws IOException {
    Path p = tmp.resolve("learning_cities.csv");
    Files.writeString(p, "\uFEFFcity,country,region_code,year_joined,source\nGraz,AT,AT22,2015,x\n");
    InputFile f = sniff(p, 1 << 20);
    assertEquals(SourceFormat.REGISTRY_CSV, f.format());
    assertTrue(f.header().startsWith("city"), f.header());
  }

  @Test
  void everyLimitRefusesTheFileAndNamesItsSetting() throws IOException {
    Path gz = tmp.resolve("estat_trng_lfse_04.tsv.gz");
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("unit,geo\\time\t2015 \n".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 600_000; i++) {
        out.write("PC,AT11\t20.1 \n".getBytes(StandardCharsets.UTF_8));
      }
    }
    Configuration hadoop = new Configuration();
    java.util.function.Function<IngestLimits, InputFileException> refuse = limits -> assertThrows(
        InputFileException.class, () -> FileSniffer.sniff(gz.toString(), null, MicrodataColumns.identity(), hadoop,
            1 << 20, 1 << 20, limits));
    InputFileException size = refuse.apply(new IngestLimits(1 << 20, 100, 1000, 1000));
    assertEquals(FileProblem.DECOMPRESSED_TOO_LARGE, size.problem());
    assertTrue(size.getMessage().contains("ingest.limits.max-decompressed-bytes"), size.getMessage());
    // 8.4 MB out of about 40 KB: past the 8 MiB floor, far beyond a ratio of 100.
    InputFileException ratio = refuse.apply(new IngestLimits(1 << 20, 100, 1L << 30, 100));
    assertEquals(FileProblem.COMPRESSION_RATIO, ratio.problem());
    assertTrue(ratio.getMessage().contains("ingest.limits.max-compression-ratio"), ratio.getMessage());
    InputFileException line = refuse.apply(new IngestLimits(10, 100, 1L << 30, 1000));
    assertEquals(FileProblem.LINE_TOO_LONG, line.problem());
    assertTrue(line.getMessage().contains("ingest.limits.max-line-bytes"), line.getMessage());
    InputFileException columns = refuse.apply(new IngestLimits(1 << 20, 1, 1L << 30, 1000));
    assertEquals(FileProblem.TOO_MANY_COLUMNS, columns.problem());
    assertTrue(columns.getMessage().contains("ingest.limits.max-columns"), columns.getMessage());
    // Within every limit the same file is read.
    assertEquals(600_001, FileSniffer.sniff(gz.toString(), null, MicrodataColumns.identity(), hadoop, 1 << 20,
        1 << 20, new IngestLimits(1 << 20, 100, 1L << 30, 1000)).lines());
  }
}
