package org.learningregions.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.learningregions.CliRunner;
import org.learningregions.LearningRegionsException;

/** {@code download} against a local HTTP server on 127.0.0.1 that serves a real Eurostat bulk file. */
@Tag("fast")
class DownloadTest {
  static final String CODE = "trng_lfse_04";
  static byte[] served;

  @TempDir
  Path tmp;

  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();

  @BeforeAll
  static void readRealFile() throws IOException {
    Path file = Path.of(System.getProperty("shared.dir", "../shared"))
        .resolve("data/real/eurostat_2017/gz/trng_lfse_04.tsv.gz");
    assertTrue(Files.isRegularFile(file), "the real Eurostat file is missing: " + file.toAbsolutePath());
    served = Files.readAllBytes(file);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Starts a server on 127.0.0.1 (free port) under /data/{code}; returns the URL template for it. */
  String serve(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/data/", exchange -> {
      requests.incrementAndGet();
      try (exchange) {
        handler.handle(exchange);
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/data/{code}?format=TSV&compressed=true";
  }

  static String code(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    // A fixed length makes the JDK server send Content-Length (the progress bar shows a percentage).
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** First request 503 (to prove the retry), then the real file for its code and 404 for any other. */
  HttpHandler flakyOnce() {
    AtomicInteger seen = new AtomicInteger();
    return exchange -> {
      if (seen.incrementAndGet() == 1) {
        send(exchange, 503, new byte[0]);
      } else if (CODE.equals(code(exchange))) {
        send(exchange, 200, served);
      } else {
        send(exchange, 404, "no such dataset".getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  CliRunner.Result download(String template, Path dir, String... extraAndCodes) {
    List<String> args = new java.util.ArrayList<>(List.of("download", "--dir", dir.toString(), "--quiet",
        "-Dlakehouse=" + tmp.resolve("lh"), "-Ddownload.url-template=" + template, "-Ddownload.initial-backoff-ms=10"));
    args.addAll(List.of(extraAndCodes));
    return CliRunner.runWithoutSpark(args.toArray(String[]::new));
  }

  static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void downloadsRealFileAfterOneRetryAndRecordsChecksumInManifest() throws Exception {
    String template = serve(flakyOnce());
    Path dir = tmp.resolve("inputs");
    CliRunner.Result r = download(template, dir, CODE);
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(2, requests.get(), "one 503, then the file");

    Path file = dir.resolve("estat_trng_lfse_04.tsv.gz");
    assertEquals(List.of("estat_trng_lfse_04.tsv.gz"), names(dir), "no part file left behind");
    byte[] written = Files.readAllBytes(file);
    assertArrayEquals(served, written);
    String sha = sha256(written);

    List<Path> manifests;
    try (Stream<Path> s = Files.list(tmp.resolve("lh/_runs"))) {
      manifests = s.filter(p -> p.getFileName().toString().endsWith(".json")
          && !p.getFileName().toString().startsWith(".")).toList();
    }
    assertEquals(1, manifests.size(), manifests.toString());
    JsonNode m = new ObjectMapper().readTree(manifests.get(0).toFile());
    assertEquals("succeeded", m.get("status").asText());
    assertEquals("learning-regions download", m.get("command").asText());
    JsonNode stage = m.get("stages").get(0);
    assertEquals("download", stage.get("stage").asText());
    JsonNode f = stage.get("counts").get("files").get(0);
    assertEquals(CODE, f.get("dataset").asText());
    assertEquals(sha, f.get("sha256").asText());
    assertEquals(served.length, f.get("bytes").asLong());
    assertEquals(2, f.get("attempts").asInt());
    assertEquals(template.replace("{code}", CODE), f.get("url").asText());
    assertEquals(file.toAbsolutePath().normalize().toString(), f.get("file").asText());
    assertTrue(r.out().contains(sha.substring(0, 12)), r.out());
  }

  @Test
  void unknownCodeFailsAtOnceAndLeavesNoFile() throws Exception {
    String template = serve(flakyOnce());
    Path dir = tmp.resolve("inputs");
    // The first request of this server is the 503; the 404 that follows must not be retried.
    CliRunner.Result r = download(template, dir, "no_such_code");
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(2, requests.get());
    assertTrue(r.err().contains("error: dataset no_such_code not found at http://127.0.0.1:"), r.err());
    assertTrue(r.err().contains("(HTTP 404)"), r.err());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void serverThatAlwaysFailsIsTriedExactlyAttemptsTimes() throws Exception {
    String template = serve(exchange -> {
      // Retry-After far above max-backoff-ms: the wait must be capped, or this test would take minutes.
      exchange.getResponseHeaders().set("Retry-After", "120");
      send(exchange, 503, new byte[0]);
    });
    Path dir = tmp.resolve("inputs");
    long t0 = System.nanoTime();
    CliRunner.Result r = download(template, dir, "-Ddownload.attempts=4", "-Ddownload.max-backoff-ms=50", CODE);
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(4, requests.get());
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 30, "Retry-After was not capped");
    assertTrue(r.err().contains("HTTP 503") && r.err().contains("after 4 attempts"), r.err());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void truncatedGzipFailsAndKeepsThePreviousFile() throws Exception {
    byte[] half = java.util.Arrays.copyOf(served, served.length / 2);
    String template = serve(exchange -> send(exchange, 200, half));
    Path dir = Files.createDirectories(tmp.resolve("inputs"));
    CliRunner.Result r = download(template, dir, CODE);
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("truncated"), r.err());
    assertEquals(List.of(), names(dir), "neither the final file nor a part file");

    // A good earlier download is only ever replaced by a verified one.
    byte[] old = "an earlier download".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("estat_trng_lfse_04.tsv.gz"), old);
    assertEquals(1, download(template, dir, CODE).exitCode());
    assertArrayEquals(old, Files.readAllBytes(dir.resolve("estat_trng_lfse_04.tsv.gz")));
    assertEquals(List.of("estat_trng_lfse_04.tsv.gz"), names(dir));
  }

  static DownloadSettings settings(String template) {
    return new DownloadSettings(template, 2, 10, 50, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  @Test
  void progressBarEndsAtHundredPercentWithANewline() throws Exception {
    String template = serve(exchange -> send(exchange, 200, served));
    ByteArrayOutputStream bar = new ByteArrayOutputStream();
    EurostatDownloader.Downloaded d = new EurostatDownloader(settings(template),
        new PrintStream(bar, true, StandardCharsets.UTF_8), false).download(CODE, tmp);
    assertEquals(served.length, d.bytes());
    assertEquals(sha256(served), d.sha256());
    assertEquals(200, d.httpStatus());
    assertEquals(1, d.attempts());
    String shown = bar.toString(StandardCharsets.UTF_8);
    // The progressbar library redraws the line with \r and ends it with one newline when the download is done.
    assertTrue(shown.startsWith("\r" + CODE + " "), shown);
    String last = shown.substring(shown.lastIndexOf('\r') + 1);
    assertTrue(last.contains("100%"), last);
    assertTrue(shown.endsWith("\n") && shown.indexOf('\n') == shown.length() - 1, "one line: " + shown);
  }

  @Test
  void gzipThatIsNotAEurostatTsvIsRejected() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("<html><body>maintenance</body></html>\n".getBytes(StandardCharsets.UTF_8));
    }
    String template = serve(exchange -> send(exchange, 200, gz.toByteArray()));
    EurostatDownloader downloader = new EurostatDownloader(settings(template), null, true);
    LearningRegionsException e = assertThrows(LearningRegionsException.class, () -> downloader.download(CODE, tmp));
    assertTrue(e.getMessage().contains("not a Eurostat TSV"), e.getMessage());
    assertEquals(1, requests.get(), "bad content is not retried");
    assertFalse(Files.exists(tmp.resolve("estat_trng_lfse_04.tsv.gz")));
    assertThrows(LearningRegionsException.class, () -> downloader.download("../etc", tmp));
  }

  @Test
  void onlyHttpUrlsAreAccepted() {
    for (String template : List.of("ftp://example.org/{code}", "file:///etc/{code}", "jar:file:/x.jar!/{code}")) {
      LearningRegionsException e = assertThrows(LearningRegionsException.class, () -> settings(template));
      assertTrue(e.getMessage().contains("must be an http(s) URL"), e.getMessage());
      assertEquals(2, e.exitCode(), "a usage error");
    }
    assertEquals("HTTPS://example.org/{code}", settings("HTTPS://example.org/{code}").urlTemplate());
  }

  @Test
  void credentialsInTheUrlAreSentAsAHeaderAndNeverShown() throws Exception {
    String secret = "s3cr3t-Pa55";
    String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(("reader:" + secret)
        .getBytes(StandardCharsets.UTF_8));
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    String template = serve(exchange -> {
      seen.add(exchange.getRequestURI().toString());
      if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, new byte[0]);
      } else if (CODE.equals(code(exchange))) {
        send(exchange, 200, served);
      } else {
        send(exchange, 404, new byte[0]);
      }
    }).replace("http://", "http://reader:" + secret + "@") + "&token=" + secret;
    Path dir = tmp.resolve("inputs");
    CliRunner.Result ok = download(template, dir, CODE);
    assertEquals(0, ok.exitCode(), ok.err());
    assertArrayEquals(served, Files.readAllBytes(dir.resolve("estat_trng_lfse_04.tsv.gz")));
    CliRunner.Result missing = download(template, dir, "no_such_code");
    assertEquals(1, missing.exitCode(), missing.err());
    assertTrue(missing.err().contains("token=***"), missing.err());
    StringBuilder shown = new StringBuilder(ok.out() + ok.err() + missing.out() + missing.err());
    try (Stream<Path> s = Files.list(tmp.resolve("lh/_runs"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        shown.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    assertTrue(shown.indexOf("***@127.0.0.1") >= 0, "the manifest records the URL without its credentials");
    assertFalse(shown.toString().contains(secret), "no credential in output or manifests: " + shown);
    assertTrue(seen.stream().noneMatch(u -> u.contains("reader")), "user-info never in the request line");
  }
}
