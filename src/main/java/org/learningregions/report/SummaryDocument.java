package org.learningregions.report;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;
import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLog;
import com.openhtmltopdf.util.XRLogger;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.attributes.AttributeResolver;
import io.pebbletemplates.pebble.attributes.ResolvedAttribute;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.AtomicFiles;
import org.slf4j.LoggerFactory;

/**
 * summary.html and summary.pdf from one Pebble template ({@code report/summary.peb}) and one stylesheet
 * ({@code report/summary.css}): the HTML is the template's output, and the PDF is that same HTML printed by
 * openhtmltopdf under the stylesheet's print rules (A4, running header, page numbers, table headers repeated on every
 * page, rows kept whole), its SVG maps and charts drawn by Batik. Pebble escapes every value for HTML; only the
 * stylesheet, the filter script and SVG drawn by this project pass unescaped.
 */
final class SummaryDocument {
  private static final PebbleEngine ENGINE = new PebbleEngine.Builder()
      .loader(new ClasspathLoader(SummaryDocument.class.getClassLoader()))
      .autoEscaping(true)
      // Every value printed is cleaned of control characters (XML 1.0, and so the PDF renderer, refuses them) as it
      // is escaped: one place for both, whatever the template prints.
      .addEscapingStrategy("xhtml", s -> Html.escape(Html.clean(s)))
      .defaultEscapingStrategy("xhtml")
      .strictVariables(true)
      .extension(new NumberFilters())
      .build();
  private static final String CSS = resource("report/summary.css");
  /** Written without '&' and '<' so that the page stays well-formed XML (the PDF renderer parses it as XHTML). */
  private static final String FILTER_SCRIPT = "document.getElementById('region-filter').addEventListener('input',"
      + "function(e){var q=e.target.value.toLowerCase();document.querySelectorAll('details.profile').forEach("
      + "function(p){p.hidden=(q==='')?false:(p.getAttribute('data-k').indexOf(q)===-1);});});";

  static {
    // openhtmltopdf logs to stderr through java.util.logging with its own handler, around the project's log lines and
    // past conf/log4j2.properties; through SLF4J its messages get the project's format and levels (logger names
    // com.openhtmltopdf.*).
    XRLog.setLoggerImpl(new Slf4jLog());
  }

  private SummaryDocument() {}

  /** The page for {@code context} (see {@link SummaryContext}). */
  static String html(Map<String, Object> context) {
    Map<String, Object> all = new java.util.HashMap<>(context);
    all.put("css", CSS);
    all.put("script", FILTER_SCRIPT);
    return render("report/summary.peb", all);
  }

  /** The classpath template {@code name} evaluated with {@code values} by the summary's engine. */
  static String render(String name, Map<String, Object> values) {
    StringWriter out = new StringWriter(512 * 1024);
    try {
      PebbleTemplate template = ENGINE.getTemplate(name);
      template.evaluate(out, values, Locale.ROOT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Prints {@code html} (from {@link #html}) to {@code file}, atomically. */
  static void pdf(String html, Path file) {
    AtomicFiles.write(file, out -> print(html, out));
  }

  private static void print(String html, OutputStream out) {
    PdfRendererBuilder b = new PdfRendererBuilder();
    b.useFastMode();
    // DejaVu Sans covers Latin with diacritics, Greek and Cyrillic: every European region name prints as written.
    b.useFont(() -> font("/fonts/DejaVuSans.ttf"), "DejaVu Sans", 400, FontStyle.NORMAL, true);
    b.useFont(() -> font("/fonts/DejaVuSans-Bold.ttf"), "DejaVu Sans", 700, FontStyle.NORMAL, true);
    b.useSVGDrawer(new BatikSVGDrawer());
    b.withHtmlContent(html, null);
    b.toStream(out);
    try {
      b.run();
    } catch (IOException | RuntimeException e) {
      throw LearningRegionsException.failure("summary.pdf could not be printed: " + e.getMessage(), e);
    }
  }

  private static InputStream font(String name) {
    return SummaryDocument.class.getResourceAsStream(name);
  }

  private static String resource(String name) {
    try (InputStream in = SummaryDocument.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code num(d)}: grouped, d decimals, empty for null or not finite; {@code pvalue}: "< 0.001" or 3 decimals; and
   * a Spark row's columns by name ({@code row.region_code}), so that rows reach the template as they are read.
   */
  private static final class NumberFilters extends AbstractExtension {
    @Override
    public Map<String, Filter> getFilters() {
      return Map.of("num", new Num(), "pvalue", new PValue());
    }

    @Override
    public List<AttributeResolver> getAttributeResolver() {
      return List.of((instance, name, args, argsNode, ctx, file, line) -> instance instanceof Row r
          && r.schema() != null && List.of(r.schema().fieldNames()).contains(String.valueOf(name))
          ? new ResolvedAttribute(r.getAs(String.valueOf(name))) : null);
    }
  }

  /** openhtmltopdf's log through SLF4J, under its own names ({@code com.openhtmltopdf.css-parse} and the like). */
  private static final class Slf4jLog implements XRLogger {
    @Override
    public void log(String where, Level level, String msg) {
      log(where, level, msg, null);
    }

    @Override
    public void log(String where, Level level, String msg, Throwable th) {
      LoggerFactory.getLogger(where).atLevel(slf4j(level)).setCause(th).log(msg);
    }

    @Override
    public void setLevel(String logger, Level level) {
      // Levels are conf/log4j2.properties' business.
    }

    @Override
    public boolean isLogLevelEnabled(Diagnostic d) {
      return LoggerFactory.getLogger(d.getLogMessageId().getWhere()).isEnabledForLevel(slf4j(d.getLevel()));
    }

    private static org.slf4j.event.Level slf4j(Level level) {
      int v = level.intValue();
      return v >= Level.SEVERE.intValue() ? org.slf4j.event.Level.ERROR : v >= Level.WARNING.intValue()
          ? org.slf4j.event.Level.WARN : v >= Level.INFO.intValue() ? org.slf4j.event.Level.INFO
          : org.slf4j.event.Level.DEBUG;
    }
  }

  private static final class Num implements Filter {
    @Override
    public List<String> getArgumentNames() {
      return List.of("digits");
    }

    @Override
    public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
        int lineNumber) {
      return fmt(input, ((Number) args.get("digits")).intValue());
    }
  }

  private static final class PValue implements Filter {
    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }

    @Override
    public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
        int lineNumber) {
      return pValue(input instanceof Number n ? n.doubleValue() : null);
    }
  }

  static String fmt(Object v, int digits) {
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      return "";
    }
    return String.format(Locale.ROOT, "%,." + digits + "f", n.doubleValue());
  }

  /** Plain text (the template escapes it). */
  static String pValue(Double p) {
    if (p == null || p.isNaN()) {
      return "";
    }
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }
}
