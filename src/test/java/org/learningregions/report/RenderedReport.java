package org.learningregions.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * A report as its readers see it: summary.html rendered by headless Chromium (a screenshot, and the page's own
 * layout measured by a probe script: where a region is drawn, which table headers wrap inside a word) and
 * summary.pdf rendered by pdftoppm. Screenshots are kept under target/rendered-report/ for a person to look at.
 */
public final class RenderedReport {
  static final int WIDTH = 1280;
  static final int HEIGHT = 4000;
  /**
   * Run in the page after layout: for each requested map region, a point where the region is what the reader sees
   * (the topmost element there and 2 px around, so not a city's dot, a label or an edge) in page coordinates, and
   * the fill the page computed; for each table header, the words that the browser laid out on two lines.
   */
  private static final String PROBE = """
      <script>(function(){
      function top(x,y,shape){var e=document.elementFromPoint(x,y);return e===shape||(e&&e.parentNode===shape);}
      function inside(id){var p=document.getElementById(id);if(!p){return null;}
        var shape=p.querySelector('path')||p;var svg=p.ownerSVGElement;var b=shape.getBBox();
        var m=shape.getScreenCTM();
        for(var i=1;i<80;i++){for(var j=1;j<80;j++){var pt=svg.createSVGPoint();
          pt.x=b.x+b.width*i/80;pt.y=b.y+b.height*j/80;
          var s=pt.matrixTransform(m);
          if(top(s.x,s.y,shape)&&top(s.x-2,s.y,shape)&&top(s.x+2,s.y,shape)&&top(s.x,s.y-2,shape)
              &&top(s.x,s.y+2,shape)){
            return [Math.round(s.x+window.scrollX),Math.round(s.y+window.scrollY),getComputedStyle(shape).fill];}}}
        return null;}
      var out={regions:{},broken:[]};
      (document.body.getAttribute('data-ask')||'').split(' ').forEach(function(id){
        if(id){out.regions[id]=inside(id);}});
      document.querySelectorAll('th').forEach(function(th){
        var w=document.createTreeWalker(th,NodeFilter.SHOW_TEXT);var n;
        while((n=w.nextNode())){var re=/\\S+/g;var m;
          while((m=re.exec(n.data))){var r=document.createRange();r.setStart(n,m.index);
            r.setEnd(n,m.index+m[0].length);var lines={};
            Array.prototype.forEach.call(r.getClientRects(),function(c){if(c.width>0){lines[Math.round(c.top)]=1;}});
            if(Object.keys(lines).length>1){out.broken.push(m[0]);}}}});
      document.body.setAttribute('data-probe',JSON.stringify(out));})();</script>
      """;

  /** Where one map region is drawn in the screenshot and the fill Chromium computed for it. */
  record Probe(int x, int y, String fill) {}

  private RenderedReport() {}

  /**
   * Renders {@code reportDir}'s summary.html in Chromium and checks what a reader sees: {@code knownRegion} (which
   * must have a learning rate of normal reliability) has the colour of its quantile class on the learning map, the
   * classes recomputed here from csv/region_profiles.csv (R's type 7 quantiles, as the report says); a region without
   * data is grey; every class colour of the legend is on screen; no table header wraps inside a word. The screenshot
   * is kept as target/rendered-report/{@code screenshot}.
   */
  public static void assertMapsAsReadersSeeThem(Path reportDir, String knownRegion, Path work, String screenshot)
      throws Exception {
    List<Double> values = new ArrayList<>();
    Map<String, String> known = null;
    for (Map<String, String> p : ReportEndToEndTest.Csv.read(reportDir.resolve("csv/region_profiles.csv"))) {
      if (!p.get("learning_rate").isEmpty()) {
        values.add(Double.parseDouble(p.get("learning_rate")));
        if (p.get("region_code").equals(knownRegion)) {
          known = p;
        }
      }
    }
    assertTrue(known != null, knownRegion + " has no learning rate");
    assertTrue(!known.get("learning_flag").contains("u") && !known.get("learning_rate_microdata_reliability")
        .equals("low"), "the known region must not be hatched");
    java.util.Collections.sort(values);
    double[] breaks = new double[6];
    for (int i = 0; i <= 5; i++) {
      double h = (values.size() - 1) * i / 5.0;
      int lo = (int) Math.floor(h);
      breaks[i] = values.get(lo) + (h - lo) * (values.get(Math.min(lo + 1, values.size() - 1)) - values.get(lo));
    }
    double v = Double.parseDouble(known.get("learning_rate"));
    int cls = 0;
    while (cls < 4 && v > breaks[cls + 1]) {
      cls++;
    }
    Path html = reportDir.resolve("summary.html");
    Matcher grey = Pattern.compile("<g id='(map-learning-[A-Z0-9]+)'[^>]*><title>[^<]*: no data</title>")
        .matcher(Files.readString(html));
    assertTrue(grey.find(), "no region without data on the learning map");
    String greyId = grey.group(1);
    Path png = Path.of("target", "rendered-report", screenshot).toAbsolutePath();
    Result r = render(html, work, png, List.of("map-learning-" + knownRegion, greyId));
    assertEquals(RegionMap.YELLOW_GREEN_BLUE[cls], r.colourAt("map-learning-" + knownRegion),
        knownRegion + " at " + v + " is in class " + (cls + 1) + " of " + java.util.Arrays.toString(breaks));
    assertEquals(RegionMap.NO_DATA, r.colourAt(greyId), greyId + " has no data");
    for (String colour : RegionMap.YELLOW_GREEN_BLUE) {
      assertTrue(pixels(r.screenshot(), colour, 2) >= 200, colour + " (a class of the legend) not on screen");
    }
    assertEquals(List.of(), r.brokenHeaderWords(), "table headers wrapped inside a word");
  }

  /** Headless Chromium with the flags this machine's closed network needs, on a new profile. */
  static String chromium(Path work, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1", "--virtual-time-budget=10000",
        "--user-data-dir=" + Files.createTempDirectory(work, "chromium"), "--window-size=" + WIDTH + "," + HEIGHT));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(work, "chromium", ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "chromium did not finish");
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(log));
    return new String(out, StandardCharsets.UTF_8);
  }

  /**
   * Renders {@code html} with the probe script asking for the map regions {@code ids} (SVG ids such as
   * map-learning-SE11), writes the screenshot to {@code png}, and returns the probe's findings with the screenshot.
   */
  static Result render(Path html, Path work, Path png, List<String> ids) throws Exception {
    String page = Files.readString(html).replace("<body>", "<body data-ask=\"" + String.join(" ", ids) + "\">")
        .replace("</body>", PROBE + "</body>");
    Path probed = work.resolve("probed.html");
    Files.writeString(probed, page);
    String dom = chromium(work, "--dump-dom", probed.toUri().toString());
    Matcher m = Pattern.compile("data-probe=\"([^\"]*)\"").matcher(dom);
    assertTrue(m.find(), "the probe did not run");
    String json = m.group(1).replace("&quot;", "\"").replace("&amp;", "&");
    Files.createDirectories(png.getParent());
    chromium(work, "--screenshot=" + png, probed.toUri().toString());
    Map<String, Probe> regions = new java.util.LinkedHashMap<>();
    Matcher r = Pattern.compile("\"([\\w-]+)\":\\[(\\d+),(\\d+),\"([^\"]*)\"]").matcher(json);
    while (r.find()) {
      regions.put(r.group(1), new Probe(Integer.parseInt(r.group(2)), Integer.parseInt(r.group(3)), r.group(4)));
    }
    Matcher b = Pattern.compile("\"broken\":\\[([^]]*)]").matcher(json);
    List<String> broken = b.find() && !b.group(1).isEmpty() ? List.of(b.group(1).split(",")) : List.of();
    return new Result(regions, broken, ImageIO.read(png.toFile()));
  }

  /** What the browser drew. */
  record Result(Map<String, Probe> regions, List<String> brokenHeaderWords, BufferedImage screenshot) {
    /** The colour of the screenshot at a region's probe point, as #rrggbb. */
    String colourAt(String id) {
      Probe p = regions.get(id);
      assertTrue(p != null, id + " not drawn: " + regions);
      assertTrue(p.y() < screenshot.getHeight(), id + " is below the screenshot (y " + p.y() + ")");
      return String.format("#%06x", screenshot.getRGB(p.x(), p.y()) & 0xFFFFFF);
    }
  }

  /** Renders pages of a PDF with pdftoppm at {@code dpi} into {@code dir} (page-N.png). */
  static List<Path> pdfPages(Path pdf, Path dir, int dpi, int first, int last) throws Exception {
    Files.createDirectories(dir);
    Process p = new ProcessBuilder(tool("pdftoppm"), "-png", "-r", String.valueOf(dpi), "-f", String.valueOf(first),
        "-l", String.valueOf(last), pdf.toString(), dir.resolve("page").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    try (var s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().startsWith("page")).sorted().toList();
    }
  }

  /** The text of each page, ligatures (fi, ff) unfolded as a reader's search does. */
  public static List<String> pdfText(Path pdf) throws IOException {
    List<String> pages = new ArrayList<>();
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      PDFTextStripper stripper = new PDFTextStripper();
      for (int i = 1; i <= doc.getNumberOfPages(); i++) {
        stripper.setStartPage(i);
        stripper.setEndPage(i);
        pages.add(Normalizer.normalize(stripper.getText(doc), Normalizer.Form.NFKC).replaceAll("\\s+", " "));
      }
    }
    return pages;
  }

  /** Pixels of the image within {@code tolerance} (per channel) of {@code hex}. */
  static long pixels(BufferedImage img, String hex, int tolerance) {
    int c = Integer.parseInt(hex.substring(1), 16);
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        if (Math.abs(((rgb >> 16) & 255) - ((c >> 16) & 255)) <= tolerance
            && Math.abs(((rgb >> 8) & 255) - ((c >> 8) & 255)) <= tolerance
            && Math.abs((rgb & 255) - (c & 255)) <= tolerance) {
          n++;
        }
      }
    }
    return n;
  }

  static String tool(String name) {
    for (String dirName : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
      if (new File(dirName, name).canExecute()) {
        return dirName + "/" + name;
      }
    }
    throw new AssertionError(name + " is not installed: run dev/test, which installs chromium and poppler-utils");
  }
}
