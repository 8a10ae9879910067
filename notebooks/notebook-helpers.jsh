// Shared set-up of the learning-regions notebooks, loaded by their first cell with `%load notebook-helpers.jsh`.
// It only finds the checkout and the lakehouse and shows tables and charts inline; everything statistical is done by
// the project's own classes (org.learningregions.*), called in the notebooks themselves.
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.learningregions.util.BuildInfo;
import org.learningregions.config.AppConfig;
import org.learningregions.lake.Lakehouse;
import org.learningregions.lake.RunManifest;
import org.learningregions.lake.SparkSessions;
import org.learningregions.lake.TableId;
import org.learningregions.lake.Tables;
import org.learningregions.report.ReportCharts;
import org.rapaio.jupyter.kernel.display.DisplayData;

/** The checkout the kernel was registered for by notebooks/setup.sh, else the parent of the notebook's directory. */
Path repoRoot() {
  String home = System.getenv("LEARNING_REGIONS_HOME");
  return (home != null && !home.isBlank() ? Paths.get(home) : Paths.get("..")).toAbsolutePath().normalize();
}

/** $LEARNING_REGIONS_LAKEHOUSE, else the sample lakehouse lakehouse/ that `jobs/learning-regions pipeline` writes. */
Path lakehousePath() {
  String env = System.getenv("LEARNING_REGIONS_LAKEHOUSE");
  Path p = env != null && !env.isBlank() ? repoRoot().resolve(env) : repoRoot().resolve("lakehouse");
  p = p.toAbsolutePath().normalize();
  if (!Files.isDirectory(p.resolve("gold"))) {
    throw new IllegalStateException("no lakehouse at " + shown(p) + ": run `jobs/learning-regions pipeline` in the "
        + "checkout first, or point LEARNING_REGIONS_LAKEHOUSE at one");
  }
  return p;
}

/** A path as it may be printed: relative to the checkout when inside it, so outputs carry no home directories. */
String shown(Path p) {
  Path abs = p.toAbsolutePath().normalize();
  return abs.startsWith(repoRoot()) ? repoRoot().relativize(abs).toString() : abs.toString();
}

/** The checkout's conf/local.conf (the CLI's default) with the lakehouse set to {@link #lakehousePath()}. */
AppConfig notebookConfig() {
  return AppConfig.load(repoRoot().resolve("conf/local.conf").toFile(),
      Map.of("lakehouse", lakehousePath().toString()));
}

// ---- display -------------------------------------------------------------------------------------------------------

void emit(DisplayData d) {
  org.rapaio.jupyter.kernel.MainApp.kernel.display(d);
}

/** Markdown, for prose that carries computed numbers. */
void md(String markdown) {
  emit(DisplayData.withType("text/markdown", markdown));
}

String cell(Object v) {
  if (v == null) {
    return "";
  }
  if (v instanceof Double || v instanceof Float) {
    double d = ((Number) v).doubleValue();
    if (!Double.isFinite(d)) {
      return String.valueOf(d);
    }
    double a = Math.abs(d);
    String s = a == 0 ? "0" : a >= 1e5 ? String.format(Locale.ROOT, "%.0f", d)
        : a >= 1 ? String.format(Locale.ROOT, "%.4f", d) : String.format(Locale.ROOT, "%.4g", d);
    return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
  return String.valueOf(v);
}

String esc(String s) {
  return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
}

/** A table as HTML (with a plain-text copy for viewers without HTML); numbers right-aligned, doubles to 4 digits. */
void showTable(List<String> columns, List<? extends List<?>> rows, String note) {
  StringBuilder html = new StringBuilder("<table><thead><tr>");
  columns.forEach(c -> html.append("<th>").append(esc(c)).append("</th>"));
  html.append("</tr></thead><tbody>");
  int[] width = columns.stream().mapToInt(String::length).toArray();
  List<List<String>> text = new ArrayList<>();
  for (List<?> r : rows) {
    html.append("<tr>");
    List<String> t = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Object v = r.get(i);
      String s = cell(v);
      t.add(s);
      width[i] = Math.max(width[i], s.length());
      html.append(v instanceof Number ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">")
          .append(esc(s).replace("\n", "<br>")).append("</td>");
    }
    text.add(t);
    html.append("</tr>");
  }
  html.append("</tbody></table>");
  StringBuilder plain = new StringBuilder();
  List<List<String>> all = new ArrayList<>();
  all.add(columns);
  all.addAll(text);
  for (List<String> t : all) {
    for (int i = 0; i < t.size(); i++) {
      plain.append(String.format("%-" + (width[i] + 2) + "s", t.get(i).replace("\n", " ")));
    }
    plain.append("\n");
  }
  if (note != null) {
    html.append("<p><em>").append(esc(note)).append("</em></p>");
    plain.append(note).append("\n");
  }
  DisplayData d = DisplayData.fromText(plain.toString());
  d.putHTML(html.toString());
  emit(d);
}

// JShell cannot overload a method across snippets, hence one name per signature below.

/** The first {@code maxRows} rows of a Spark result as a table. */
void showRows(Dataset<Row> data, int maxRows) {
  List<Row> head = data.takeAsList(maxRows + 1);
  List<List<Object>> rows = new ArrayList<>();
  for (Row r : head.subList(0, Math.min(maxRows, head.size()))) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      values.add(r.get(i));
    }
    rows.add(values);
  }
  showTable(Arrays.asList(data.columns()), rows, head.size() > maxRows ? "first " + maxRows + " rows" : null);
}

/** A Spark result as a table (at most 40 rows). */
void show(Dataset<Row> data) {
  showRows(data, 40);
}

/** Spark SQL over the lakehouse tables (layer.name), shown as a table. */
void sql(String query) {
  show(SparkSession.active().sql(query));
}

int chartCount = 0;

/** A chart of org.learningregions.report.ReportCharts drawn inline as SVG by the project's own renderer. */
void chartSized(JFreeChart chart, int width, int height) {
  String svg = ReportCharts.svg(chart, width, height, "nb-chart-" + (++chartCount));
  String title = chart.getTitle() == null ? "chart" : chart.getTitle().getText();
  DisplayData d = DisplayData.fromText("[chart: " + title + "]");
  d.putData("image/svg+xml", svg);
  emit(d);
}

/** A chart at the report's size, 760 x 420 px. */
void chart(JFreeChart chart) {
  chartSized(chart, 760, 420);
}
