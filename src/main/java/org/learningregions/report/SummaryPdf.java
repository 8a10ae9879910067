package org.learningregions.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.AtomicFiles;

/**
 * Writes summary.pdf, the printable summary for policymakers: title and headline on the first page, the charts
 * (rendered by the caller), then the report tables, each cut at a maximum number of rows with a pointer to the full
 * CSV and XLSX exports. Text is set in the bundled DejaVu Sans (embedded as a subset) so that every region name,
 * Greek, Cyrillic or Latin with diacritics, prints as written; characters the font lacks print as '?'.
 *
 * <p>Pages are A4, portrait unless a table is too wide for it; every page carries the footer text and "page i of n".
 *
 * <p>Why this class is long: it is a small layout engine on PDFBox (line breaking, column widths, page flow, glyph
 * fallback) that has to stay in step with {@link SummaryHtml} by hand. It is to be replaced, not split: the report
 * issue moves HTML and PDF onto one template rendered twice, after which this class goes.
 */
public final class SummaryPdf {
  private static final PDRectangle PORTRAIT = PDRectangle.A4;
  private static final PDRectangle LANDSCAPE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
  private static final float MARGIN = 50;
  private static final float FOOTER_BASELINE = 28;

  private static final float TITLE_SIZE = 18;
  private static final float SUBTITLE_SIZE = 9;
  private static final float BODY_SIZE = 10;
  private static final float HEADLINE_SIZE = 11;
  private static final float HEADING_SIZE = 12;
  private static final float CAPTION_SIZE = 8.5f;
  private static final float NOTE_SIZE = 8;
  /** Table font sizes, tried largest first, in portrait and then in landscape. */
  private static final float[] TABLE_SIZES = {9, 8, 7};
  /** A table setting is comfortable when no column has to be narrower than this many ems (about 18 characters). */
  private static final float COMFORTABLE_EMS = 10;
  /** A text cell wraps to at most this many lines; the rest is cut with an ellipsis. */
  private static final int MAX_CELL_LINES = 3;
  private static final float PARAGRAPH_GAP = 8;
  private static final float SECTION_GAP = 20;

  private static final Color TEXT = new Color(0x1b1b1b);
  private static final Color GREY = new Color(0x666666);
  private static final Color RULE = new Color(0xbbbbbb);
  private static final Color HEADER_FILL = new Color(0xe6e6e6);
  private static final Color STRIPE_FILL = new Color(0xf5f5f5);
  private static final Color HEADLINE_FILL = new Color(0xeef5ff);
  private static final Color ACCENT = new Color(0x2a6ebb);

  private static final String ELLIPSIS = "\u2026";
  private static final String LOW_MARK = "\u2020";

  /**
   * A paragraph of the first page.
   *
   * @param text plain text; wrapped at the page width
   * @param emphasis set in bold on a tinted box: the headline sentence
   */
  public record Paragraph(String text, boolean emphasis) {}

  /**
   * A chart, drawn at the page width with its aspect ratio kept, and on a page of its own if it does not fit below
   * what comes before it.
   *
   * @param title heading above the chart
   * @param image the rendered chart, best at twice its printed size so that it stays sharp
   * @param caption grey text under the chart: what it shows and how to read it
   */
  public record Figure(String title, BufferedImage image, String caption) {
    public Figure {
      Objects.requireNonNull(image, "figure image");
    }
  }

  /**
   * What the PDF shows, in order.
   *
   * @param title document title (first page, and the PDF's metadata)
   * @param subtitle a grey line under the title: run id, date
   * @param firstPage paragraphs after the title
   * @param figures charts, after the paragraphs
   * @param tables tables, after the charts
   * @param maxTableRows rows printed per table; the rest is left to tables.xlsx and csv/
   * @param footer text at the foot of every page, left of the page number
   */
  public record Content(String title, String subtitle, List<Paragraph> firstPage, List<Figure> figures,
      List<ReportTable> tables, int maxTableRows, String footer) {
    public Content {
      firstPage = List.copyOf(firstPage);
      figures = List.copyOf(figures);
      tables = List.copyOf(tables);
      if (maxTableRows < 0) {
        throw new IllegalArgumentException("maxTableRows must not be negative: " + maxTableRows);
      }
    }
  }

  /** Whether a cell needs a word for the reader beyond its value. */
  private enum Mark { NONE, SUPPRESSED, LOW }

  private final PDDocument doc;
  private final Typeface regular;
  private final Typeface bold;
  private PDPageContentStream cs;
  private PDRectangle pageSize;
  /** Top of the free space on the current page. */
  private float y;

  private SummaryPdf(PDDocument doc) throws IOException {
    this.doc = doc;
    this.regular = Typeface.load(doc, "/fonts/DejaVuSans.ttf");
    this.bold = Typeface.load(doc, "/fonts/DejaVuSans-Bold.ttf");
  }

  /**
   * Writes the PDF to {@code file}, replacing it: the document goes to a temporary file next to it first and is
   * then moved over it, so a reader never sees half a file.
   *
   * @throws LearningRegionsException when the file cannot be written; no temporary file is left behind
   */
  public static void write(Content content, Path file) {
    try (PDDocument doc = new PDDocument()) {
      new SummaryPdf(doc).render(content);
      AtomicFiles.write(file, doc::save);
    } catch (IOException e) {
      throw LearningRegionsException.failure("cannot write " + file + ": " + AtomicFiles.cause(e), e);
    }
  }

  private void render(Content c) throws IOException {
    doc.getDocumentInformation().setTitle(c.title());
    try {
      newPage(PORTRAIT);
      titleBlock(c.title(), c.subtitle());
      for (Paragraph p : c.firstPage()) {
        if (p.text() == null || p.text().isBlank()) {
          continue;
        }
        if (p.emphasis()) {
          headline(p.text());
        } else {
          lines(regular, BODY_SIZE, BODY_SIZE * 1.4f, TEXT, wrap(regular, BODY_SIZE, p.text(), contentWidth()), MARGIN);
          y -= PARAGRAPH_GAP;
        }
      }
      y -= SECTION_GAP - PARAGRAPH_GAP;
      for (Figure f : c.figures()) {
        figure(f);
      }
      for (ReportTable t : c.tables()) {
        table(t, c.maxTableRows());
      }
    } finally {
      if (cs != null) {
        cs.close();
      }
    }
    // The page count is known only now, so the footers are stamped onto the finished pages in a second pass.
    stampFooters(c.footer());
  }

  // ---- page flow

  private void newPage(PDRectangle size) throws IOException {
    if (cs != null) {
      cs.close();
    }
    PDPage page = new PDPage(size);
    doc.addPage(page);
    cs = new PDPageContentStream(doc, page);
    pageSize = size;
    y = size.getHeight() - MARGIN;
  }

  /** Continues on the current page if it has {@code size}, else starts a page of that size. */
  private void usePage(PDRectangle size) throws IOException {
    if (pageSize.getWidth() != size.getWidth()) {
      newPage(size);
    }
  }

  /**
   * Starts a new page of the same orientation unless {@code height} still fits above the bottom margin, or nothing
   * is on the page yet (a new page would not have more room, and the one left behind would be blank).
   */
  private void ensure(float height) throws IOException {
    if (y - height < MARGIN && y < pageSize.getHeight() - MARGIN) {
      newPage(pageSize);
    }
  }

  private float contentWidth() {
    return pageSize.getWidth() - 2 * MARGIN;
  }

  private float contentHeight() {
    return pageSize.getHeight() - 2 * MARGIN;
  }

  // ---- first page

  private void titleBlock(String title, String subtitle) throws IOException {
    lines(bold, TITLE_SIZE, TITLE_SIZE * 1.25f, TEXT, wrap(bold, TITLE_SIZE, title, contentWidth()), MARGIN);
    y -= 2;
    lines(regular, SUBTITLE_SIZE, SUBTITLE_SIZE * 1.4f, GREY, wrap(regular, SUBTITLE_SIZE, subtitle, contentWidth()),
        MARGIN);
    y -= 6;
    rule(MARGIN, y, contentWidth(), 1, ACCENT);
    y -= 16;
  }

  /** The headline: bold on a light blue box with an accent bar, like the HTML summary's headline. */
  private void headline(String text) throws IOException {
    float inset = 14;
    float pad = 9;
    float leading = HEADLINE_SIZE * 1.4f;
    List<String> lines = wrap(bold, HEADLINE_SIZE, text, contentWidth() - inset - 10);
    float height = lines.size() * leading + 2 * pad;
    if (height > contentHeight()) {
      // Too long for one box: let it flow across pages as plain bold text.
      lines(bold, HEADLINE_SIZE, leading, TEXT, lines, MARGIN);
      y -= PARAGRAPH_GAP;
      return;
    }
    ensure(height);
    float top = y;
    fill(MARGIN, top - height, contentWidth(), height, HEADLINE_FILL);
    fill(MARGIN, top - height, 3.5f, height, ACCENT);
    y -= pad;
    lines(bold, HEADLINE_SIZE, leading, TEXT, lines, MARGIN + inset);
    y = top - height - PARAGRAPH_GAP - 4;
  }

  // ---- figures

  private void figure(Figure f) throws IOException {
    usePage(PORTRAIT);
    float width = contentWidth();
    float headingLeading = HEADING_SIZE * 1.3f;
    float captionLeading = CAPTION_SIZE * 1.35f;
    List<String> title = wrap(bold, HEADING_SIZE, f.title(), width);
    List<String> caption = wrap(regular, CAPTION_SIZE, f.caption(), width);
    float gap = 6;
    float textHeight = title.size() * headingLeading + 2 * gap + caption.size() * captionLeading;
    BufferedImage image = f.image();
    float imageWidth = width;
    float imageHeight = width * image.getHeight() / image.getWidth();
    // Never taller than a page, even under a caption so long that it leaves little room.
    float maxImageHeight = Math.max(contentHeight() - textHeight, contentHeight() / 2);
    if (imageHeight > maxImageHeight) {
      // A tall chart would not fit any page at full width: shrink it, still keeping its aspect ratio.
      imageHeight = maxImageHeight;
      imageWidth = imageHeight * image.getWidth() / image.getHeight();
    }
    ensure(textHeight + imageHeight);
    lines(bold, HEADING_SIZE, headingLeading, TEXT, title, MARGIN);
    y -= gap;
    ensure(imageHeight);
    PDImageXObject xobject = LosslessFactory.createFromImage(doc, image);
    cs.drawImage(xobject, MARGIN + (width - imageWidth) / 2, y - imageHeight, imageWidth, imageHeight);
    y -= imageHeight + gap;
    lines(regular, CAPTION_SIZE, captionLeading, GREY, caption, MARGIN);
    y -= SECTION_GAP;
  }

  // ---- tables

  private void table(ReportTable t, int maxRows) throws IOException {
    int shown = Math.min(maxRows, t.rows().size());
    Cells cells = Cells.of(t, t.rows().subList(0, shown));
    List<Part> parts = parts(cells);
    String description = t.description() == null ? "" : t.description();
    if (parts.size() > 1) {
      description += " Too wide for one page, the table is printed in " + parts.size() + " parts; each repeats the "
          + "first column, " + cells.headers()[0] + ", so that a row can be followed across them.";
    }
    for (int p = 0; p < parts.size(); p++) {
      if (p > 0) {
        y -= 14;
      }
      String title = parts.size() == 1 ? t.title() : t.title() + " (part " + (p + 1) + " of " + parts.size() + ")";
      tablePart(title, p == 0 ? description : null, parts.get(p), t.rows().isEmpty());
    }
    tableNotes(t, cells, shown);
    y -= SECTION_GAP;
  }

  /** Title, description, header and rows; the header is repeated on every page the rows run on to. */
  private void tablePart(String titleText, String descriptionText, Part part, boolean empty) throws IOException {
    Cells cells = part.cells();
    TableSetting s = part.setting();
    usePage(s.page());
    float headingLeading = HEADING_SIZE * 1.3f;
    float descriptionLeading = SUBTITLE_SIZE * 1.35f;
    List<String> title = wrap(bold, HEADING_SIZE, titleText, contentWidth());
    List<String> description = wrap(regular, SUBTITLE_SIZE, descriptionText, contentWidth());
    RowBox header = headerBox(cells, s);
    int rows = cells.text().length;
    // Keep the title with the header and the first rows: a heading alone at the foot of a page helps nobody.
    float firstRows = 0;
    for (int r = 0; r < Math.min(3, rows); r++) {
      firstRows += rowBox(cells, r, s).height();
    }
    ensure(title.size() * headingLeading + description.size() * descriptionLeading + 6 + header.height() + firstRows);
    lines(bold, HEADING_SIZE, headingLeading, TEXT, title, MARGIN);
    lines(regular, SUBTITLE_SIZE, descriptionLeading, GREY, description, MARGIN);
    y -= 6;
    drawRow(header, cells, s, bold, HEADER_FILL, true);
    for (int r = 0; r < rows; r++) {
      RowBox row = rowBox(cells, r, s);
      if (y - row.height() < MARGIN) {
        newPage(s.page());
        lines(regular, NOTE_SIZE, NOTE_SIZE * 1.4f, GREY, List.of(regular.clean(titleText) + " (continued)"), MARGIN);
        y -= 2;
        drawRow(header, cells, s, bold, HEADER_FILL, true);
      }
      drawRow(row, cells, s, regular, r % 2 == 1 ? STRIPE_FILL : null, false);
    }
    if (empty) {
      lines(regular, NOTE_SIZE, NOTE_SIZE * 1.8f, GREY, List.of("No rows."), MARGIN + TableSetting.pad(s.size()));
    }
    rule(MARGIN, y, s.tableWidth(), 0.6f, RULE);
    y -= 5;
  }

  /** Says what the table leaves out and what its marks mean, under the table. */
  private void tableNotes(ReportTable t, Cells cells, int shown) throws IOException {
    List<String> notes = new ArrayList<>();
    int more = t.rows().size() - shown;
    if (more > 0) {
      notes.add(ELLIPSIS + " " + more + " more rows in tables.xlsx and csv/" + t.name() + ".csv");
    }
    if (cells.any(Mark.LOW)) {
      notes.add(LOW_MARK + " low reliability: an estimate from few respondents; read it with caution.");
    }
    if (cells.any(Mark.SUPPRESSED)) {
      notes.add("suppressed: too few respondents to publish an estimate.");
    }
    for (String note : notes) {
      lines(regular, NOTE_SIZE, NOTE_SIZE * 1.4f, GREY, wrap(regular, NOTE_SIZE, note, contentWidth()), MARGIN);
    }
  }

  /**
   * How a table is set: whole, at the first orientation and font size (portrait first, largest first) at which no
   * column is cut below about 18 characters or its natural width. A table too wide even for that in landscape at
   * the smallest size is split into parts of consecutive columns, each led by the first column.
   */
  private List<Part> parts(Cells cells) throws IOException {
    // Widths and paddings are proportional to the font size, so the cells are measured once, at 1 pt.
    Metrics unit = metrics(cells);
    for (PDRectangle page : new PDRectangle[] {PORTRAIT, LANDSCAPE}) {
      for (float size : TABLE_SIZES) {
        ColumnWidths fit = fit(unit.scaled(size), page.getWidth() - 2 * MARGIN);
        if (comfortable(fit, size)) {
          return List.of(new Part(cells, new TableSetting(page, size, fit.widths())));
        }
      }
    }
    float size = TABLE_SIZES[TABLE_SIZES.length - 1];
    float available = LANDSCAPE.getWidth() - 2 * MARGIN;
    Metrics metrics = unit.scaled(size);
    List<Part> parts = new ArrayList<>();
    for (int[] columns : columnGroups(metrics, size, available)) {
      float[] widths = fit(metrics.select(columns), available).widths();
      parts.add(new Part(cells.select(columns), new TableSetting(LANDSCAPE, size, widths)));
    }
    return parts;
  }

  /**
   * Runs of consecutive columns, each preceded by the first column, that fit comfortably side by side: as few runs
   * as possible, and of balanced widths, so that the last part is not a stub of one or two columns.
   */
  private static List<int[]> columnGroups(Metrics metrics, float size, float available) {
    // A run is comfortable exactly when its columns, cut to the comfortable level, fit the line.
    float[] widths = metrics.capped(size * COMFORTABLE_EMS);
    int fewest = groupsWithin(widths, available).size();
    float low = 0;
    float high = available;
    for (int i = 0; i < 30; i++) {
      float mid = (low + high) / 2;
      if (groupsWithin(widths, mid).size() <= fewest) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return groupsWithin(widths, high);
  }

  /** Greedy runs of columns, each with the first column, no wider than {@code capacity} unless a run has one. */
  private static List<int[]> groupsWithin(float[] widths, float capacity) {
    List<int[]> groups = new ArrayList<>();
    List<Integer> group = new ArrayList<>(List.of(0));
    float used = widths[0];
    for (int c = 1; c < widths.length; c++) {
      if (group.size() > 1 && used + widths[c] > capacity) {
        groups.add(indices(group));
        group = new ArrayList<>(List.of(0));
        used = widths[0];
      }
      group.add(c);
      used += widths[c];
    }
    groups.add(indices(group));
    return groups;
  }

  private static int[] indices(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean comfortable(ColumnWidths fit, float size) {
    return fit.level() >= size * COMFORTABLE_EMS;
  }

  /**
   * Per column, padding included, at a font size of 1 pt: the natural width shows its widest cell and its header on
   * one line; the floor is the least it may get, a number's widest value (numbers are never wrapped) or four ems of
   * text.
   */
  private Metrics metrics(Cells cells) throws IOException {
    int n = cells.columns();
    float pad = TableSetting.pad(1);
    float[] floor = new float[n];
    float[] natural = new float[n];
    for (int c = 0; c < n; c++) {
      float content = 0;
      for (String[] row : cells.text()) {
        content = Math.max(content, regular.width(row[c], 1));
      }
      content += cells.lowColumn()[c] ? markSpace(1) : 0;
      natural[c] = Math.max(content, bold.width(cells.headers()[c], 1)) + 2 * pad;
      floor[c] = Math.min(natural[c], (cells.numeric()[c] ? content : 4) + 2 * pad);
    }
    return new Metrics(floor, natural);
  }

  /**
   * Column widths for the line: the natural widths if they fit; else the widest columns are cut down to a common
   * level, so that narrow columns (codes, years, numbers) keep their width while long text and long headers wrap;
   * and when even the floors do not fit, all columns shrink alike and cells are cut with an ellipsis.
   */
  private static ColumnWidths fit(Metrics m, float available) {
    float[] natural = m.natural();
    if (sum(natural) <= available) {
      return new ColumnWidths(natural, Float.POSITIVE_INFINITY);
    }
    float sumFloor = sum(m.floor());
    if (sumFloor > available) {
      float[] widths = new float[natural.length];
      for (int c = 0; c < natural.length; c++) {
        widths[c] = m.floor()[c] * available / sumFloor;
      }
      return new ColumnWidths(widths, 0);
    }
    // The level is found by bisection: the total width grows with it, from the floors to the natural widths.
    float low = 0;
    float high = 0;
    for (float w : natural) {
      high = Math.max(high, w);
    }
    for (int i = 0; i < 40; i++) {
      float mid = (low + high) / 2;
      if (sum(m.capped(mid)) > available) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return new ColumnWidths(m.capped(low), low);
  }

  private static float sum(float[] values) {
    float sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum;
  }

  private RowBox headerBox(Cells cells, TableSetting s) throws IOException {
    List<List<String>> lines = new ArrayList<>();
    for (int c = 0; c < cells.columns(); c++) {
      lines.add(cellLines(bold, s.size(), cells.headers()[c], s.textWidth(c), true));
    }
    return new RowBox(lines, new Mark[cells.columns()], s.rowHeight(lines));
  }

  private RowBox rowBox(Cells cells, int r, TableSetting s) throws IOException {
    List<List<String>> lines = new ArrayList<>();
    for (int c = 0; c < cells.columns(); c++) {
      float width = s.textWidth(c) - (cells.lowColumn()[c] ? markSpace(s.size()) : 0);
      lines.add(cellLines(regular, s.size(), cells.text()[r][c], width, !cells.numeric()[c]));
    }
    return new RowBox(lines, cells.marks()[r], s.rowHeight(lines));
  }

  /**
   * Draws a table row at the cursor. Numbers are right-aligned; the low-reliability dagger sits in a space of its
   * own to the right of the number, so that flagged and plain values stay aligned on their last digit.
   */
  private void drawRow(RowBox row, Cells cells, TableSetting s, Typeface font, Color background, boolean header)
      throws IOException {
    float size = s.size();
    float pad = TableSetting.pad(size);
    float top = y;
    float firstBaseline = top - TableSetting.verticalPad(size) - size;
    if (background != null) {
      fill(MARGIN, top - row.height(), s.tableWidth(), row.height(), background);
    }
    float x = MARGIN;
    for (int c = 0; c < cells.columns(); c++) {
      float width = s.widths()[c];
      Mark mark = row.marks()[c];
      Color color = mark == Mark.SUPPRESSED ? GREY : TEXT;
      float right = x + width - pad - (!header && cells.lowColumn()[c] ? markSpace(size) : 0);
      float baseline = firstBaseline;
      for (String line : row.lines().get(c)) {
        float left = cells.numeric()[c] ? right - font.width(line, size) : x + pad;
        show(cs, font, size, color, left, baseline, line);
        baseline -= s.leading();
      }
      if (mark == Mark.LOW && cells.numeric()[c]) {
        show(cs, regular, size, TEXT, x + width - pad - regular.width(LOW_MARK, size), firstBaseline, LOW_MARK);
      }
      x += width;
    }
    y = top - row.height();
  }

  private float markSpace(float size) throws IOException {
    return regular.width(" " + LOW_MARK, size);
  }

  /** A cell's lines: text wraps to at most {@link #MAX_CELL_LINES}, numbers stay on one line; overflow is cut. */
  private static List<String> cellLines(Typeface f, float size, String text, float width, boolean wrap)
      throws IOException {
    if (!wrap) {
      return List.of(truncate(f, size, text, width, false));
    }
    List<String> lines = wrap(f, size, text, width);
    if (lines.isEmpty()) {
      return List.of("");
    }
    if (lines.size() <= MAX_CELL_LINES) {
      return lines;
    }
    List<String> kept = new ArrayList<>(lines.subList(0, MAX_CELL_LINES));
    int last = MAX_CELL_LINES - 1;
    kept.set(last, truncate(f, size, kept.get(last), width, true));
    return kept;
  }

  /**
   * The shown rows of a table as display text, with the reliability mark of every cell.
   *
   * @param lowColumn per column: a number column with a low-reliability value, which reserves room for the dagger
   */
  private record Cells(String[] headers, boolean[] numeric, boolean[] lowColumn, String[][] text, Mark[][] marks) {
    static Cells of(ReportTable t, List<Object[]> rows) {
      int n = t.columns().size();
      String[] headers = new String[n];
      boolean[] numeric = new boolean[n];
      for (int c = 0; c < n; c++) {
        headers[c] = t.columns().get(c).name();
        numeric[c] = t.columns().get(c).type() != ColumnType.TEXT;
      }
      boolean[] lowColumn = new boolean[n];
      String[][] text = new String[rows.size()][n];
      Mark[][] marks = new Mark[rows.size()][n];
      for (int r = 0; r < rows.size(); r++) {
        Object[] row = rows.get(r);
        for (int c = 0; c < n; c++) {
          Object value = c < row.length ? row[c] : null;
          String reliability = t.reliability(row, c);
          Mark mark = ReportTable.SUPPRESSED.equals(reliability) ? Mark.SUPPRESSED
              : ReportTable.LOW.equals(reliability) && value != null ? Mark.LOW : Mark.NONE;
          String shown = mark == Mark.SUPPRESSED ? ReportTable.SUPPRESSED : format(t.columns().get(c), value);
          // Text is left-aligned, so there the mark simply follows it.
          text[r][c] = mark == Mark.LOW && !numeric[c] ? shown + " " + LOW_MARK : shown;
          marks[r][c] = mark;
          lowColumn[c] |= mark == Mark.LOW && numeric[c];
        }
      }
      return new Cells(headers, numeric, lowColumn, text, marks);
    }

    /** These cells restricted to {@code columns}, in that order. */
    Cells select(int[] columns) {
      String[][] selectedText = new String[text.length][columns.length];
      Mark[][] selectedMarks = new Mark[text.length][columns.length];
      for (int r = 0; r < text.length; r++) {
        for (int i = 0; i < columns.length; i++) {
          selectedText[r][i] = text[r][columns[i]];
          selectedMarks[r][i] = marks[r][columns[i]];
        }
      }
      return new Cells(pick(headers, columns), pick(numeric, columns), pick(lowColumn, columns), selectedText,
          selectedMarks);
    }

    int columns() {
      return headers.length;
    }

    boolean any(Mark mark) {
      for (Mark[] row : marks) {
        for (Mark m : row) {
          if (m == mark) {
            return true;
          }
        }
      }
      return false;
    }

    private static String[] pick(String[] values, int[] columns) {
      String[] out = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        out[i] = values[columns[i]];
      }
      return out;
    }

    private static boolean[] pick(boolean[] values, int[] columns) {
      boolean[] out = new boolean[columns.length];
      for (int i = 0; i < columns.length; i++) {
        out[i] = values[columns[i]];
      }
      return out;
    }
  }

  /** Per column, padding included: the width without wrapping, and the least the column may get. */
  private record Metrics(float[] floor, float[] natural) {
    Metrics select(int[] columns) {
      float[] f = new float[columns.length];
      float[] n = new float[columns.length];
      for (int i = 0; i < columns.length; i++) {
        f[i] = floor[columns[i]];
        n[i] = natural[columns[i]];
      }
      return new Metrics(f, n);
    }

    /** These metrics at font size {@code size}. */
    Metrics scaled(float size) {
      float[] f = new float[floor.length];
      float[] n = new float[natural.length];
      for (int c = 0; c < floor.length; c++) {
        f[c] = floor[c] * size;
        n[c] = natural[c] * size;
      }
      return new Metrics(f, n);
    }

    /** Every column at its natural width, but none wider than {@code level} unless its floor is. */
    float[] capped(float level) {
      float[] widths = new float[natural.length];
      for (int c = 0; c < natural.length; c++) {
        widths[c] = Math.min(natural[c], Math.max(floor[c], level));
      }
      return widths;
    }
  }

  /** Column widths, and the level the widest columns were cut to (infinite: none was cut). */
  private record ColumnWidths(float[] widths, float level) {}

  /** A table, or a run of its columns, with how it is set. */
  private record Part(Cells cells, TableSetting setting) {}

  /** A cell value as printed: decimals as the column says (Locale.ROOT, as in the CSV), empty for null. */
  static String format(ReportColumn column, Object value) {
    if (value == null) {
      return "";
    }
    if (!(value instanceof Number number) || column.type() == ColumnType.TEXT) {
      return value.toString();
    }
    boolean whole = value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte;
    if (column.type() == ColumnType.INTEGER && whole) {
      return value.toString();
    }
    double d = number.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "";
    }
    int decimals = column.type() == ColumnType.INTEGER ? 0 : Math.max(0, column.decimals());
    String s = String.format(Locale.ROOT, "%." + decimals + "f", d);
    // -0.0001 at 2 decimals would print as "-0.00": a sign on a zero misleads.
    return s.startsWith("-") && s.chars().noneMatch(ch -> ch >= '1' && ch <= '9') ? s.substring(1) : s;
  }

  /** How one table is set: page, font size and column widths (cell padding included). */
  private record TableSetting(PDRectangle page, float size, float[] widths) {
    static float pad(float size) {
      return size * 0.45f;
    }

    static float verticalPad(float size) {
      return size * 0.35f;
    }

    float leading() {
      return size * 1.3f;
    }

    /** Room for text in a column; a hair more than measured, as widths measured at 1 pt and scaled may round down. */
    float textWidth(int column) {
      return widths[column] - 2 * pad(size) + 0.01f;
    }

    float tableWidth() {
      return sum(widths);
    }

    float rowHeight(List<List<String>> cellLines) {
      int lines = 1;
      for (List<String> cell : cellLines) {
        lines = Math.max(lines, cell.size());
      }
      return lines * leading() + 2 * verticalPad(size);
    }
  }

  /** The lines of each cell of a row, the cells' marks, and the row's height. */
  private record RowBox(List<List<String>> lines, Mark[] marks, float height) {}

  // ---- footers

  private void stampFooters(String footer) throws IOException {
    int pages = doc.getNumberOfPages();
    int i = 0;
    for (PDPage page : doc.getPages()) {
      i++;
      float width = page.getMediaBox().getWidth();
      String number = "page " + i + " of " + pages;
      float numberWidth = regular.width(number, NOTE_SIZE);
      try (PDPageContentStream out = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true,
          true)) {
        out.setStrokingColor(RULE);
        out.setLineWidth(0.5f);
        out.moveTo(MARGIN, FOOTER_BASELINE + 11);
        out.lineTo(width - MARGIN, FOOTER_BASELINE + 11);
        out.stroke();
        String left = truncate(regular, NOTE_SIZE, footer, width - 2 * MARGIN - numberWidth - 20, false);
        show(out, regular, NOTE_SIZE, GREY, MARGIN, FOOTER_BASELINE, left);
        show(out, regular, NOTE_SIZE, GREY, width - MARGIN - numberWidth, FOOTER_BASELINE, number);
      }
    }
  }

  // ---- drawing primitives

  /** Draws lines top-down from the cursor, starting a new page whenever the next line does not fit. */
  private void lines(Typeface f, float size, float leading, Color color, List<String> lines, float x)
      throws IOException {
    for (String line : lines) {
      ensure(leading);
      show(cs, f, size, color, x, y - size, line);
      y -= leading;
    }
  }

  private static void show(PDPageContentStream out, Typeface f, float size, Color color, float x, float baseline,
      String text) throws IOException {
    String clean = f.clean(text);
    if (clean.isBlank()) {
      return;
    }
    out.beginText();
    out.setFont(f.font, size);
    out.setNonStrokingColor(color);
    out.newLineAtOffset(x, baseline);
    out.showText(clean);
    out.endText();
  }

  private void fill(float x, float bottom, float width, float height, Color color) throws IOException {
    cs.setNonStrokingColor(color);
    cs.addRect(x, bottom, width, height);
    cs.fill();
  }

  private void rule(float x, float atY, float width, float thickness, Color color) throws IOException {
    fill(x, atY - thickness / 2, width, thickness, color);
  }

  // ---- text measuring

  /**
   * Greedy word wrap at {@code width}. A word longer than the line is broken after an underscore, hyphen, slash or
   * colon where there is one (column names, codes, double names), else wherever the line is full.
   */
  private static List<String> wrap(Typeface f, float size, String text, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    float lineWidth = 0;
    float space = f.width(" ", size);
    for (String word : f.clean(text).split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      float w = f.width(word, size);
      if (line.length() > 0 && lineWidth + space + w <= width) {
        line.append(' ').append(word);
        lineWidth += space + w;
        continue;
      }
      if (line.length() > 0) {
        lines.add(line.toString());
        line.setLength(0);
      }
      // A single character wider than the line (a squeezed column) stays whole: there is no smaller piece.
      while (w > width && word.length() > Character.charCount(word.codePointAt(0))) {
        int cut = breakPoint(f, size, word, width);
        lines.add(word.substring(0, cut));
        word = word.substring(cut);
        w = f.width(word, size);
      }
      line.append(word);
      lineWidth = w;
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** Where to break a word too long for a line; at least one character, so that wrapping always progresses. */
  private static int breakPoint(Typeface f, float size, String word, float width) throws IOException {
    int fits = Math.max(fitLength(f, size, word, width), Character.charCount(word.codePointAt(0)));
    int separator = -1;
    for (char c : new char[] {'_', '-', '/', ':'}) {
      separator = Math.max(separator, word.lastIndexOf(c, fits - 1));
    }
    // Not after a leading separator: a line holding only "_" would help nobody.
    return separator > 0 ? separator + 1 : fits;
  }

  /** Length (in chars, on a code point boundary) of the longest prefix of {@code s} that fits {@code width}. */
  private static int fitLength(Typeface f, float size, String s, float width) throws IOException {
    float used = 0;
    int i = 0;
    while (i < s.length()) {
      int next = i + Character.charCount(s.codePointAt(i));
      used += f.width(s.substring(i, next), size);
      if (used > width) {
        break;
      }
      i = next;
    }
    return i;
  }

  /** The text cut with an ellipsis to fit {@code width}; with {@code mark}, the ellipsis is added in any case. */
  private static String truncate(Typeface f, float size, String text, float width, boolean mark) throws IOException {
    String s = f.clean(text);
    String whole = mark ? s + ELLIPSIS : s;
    if (f.width(whole, size) <= width) {
      return whole;
    }
    int n = fitLength(f, size, s, width - f.width(ELLIPSIS, size));
    return s.substring(0, n).stripTrailing() + ELLIPSIS;
  }

  /**
   * A font with what PDFBox leaves to the caller: {@code showText} throws on control characters and on characters
   * the font has no glyph for, so every text is cleaned first, and widths are measured on the cleaned text.
   */
  private static final class Typeface {
    final PDFont font;
    private final Map<Integer, Boolean> drawable = new HashMap<>();

    private Typeface(PDFont font) {
      this.font = font;
    }

    static Typeface load(PDDocument doc, String resource) throws IOException {
      try (InputStream in = SummaryPdf.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("font " + resource + " is not on the classpath");
        }
        // Subset embedding: only the glyphs used go into the file, so a full Unicode font costs a few kilobytes.
        return new Typeface(PDType0Font.load(doc, in, true));
      }
    }

    /** The text as the font can show it: control characters (newline, tab) become spaces, missing glyphs '?'. */
    String clean(String text) {
      if (text == null) {
        return "";
      }
      StringBuilder out = new StringBuilder(text.length());
      text.codePoints().forEach(cp -> {
        if (Character.isISOControl(cp) || cp == '\u2028' || cp == '\u2029') {
          out.append(' ');
        } else if (drawable(cp)) {
          out.appendCodePoint(cp);
        } else {
          out.append('?');
        }
      });
      return out.toString();
    }

    private boolean drawable(int codePoint) {
      return drawable.computeIfAbsent(codePoint, cp -> {
        try {
          font.encode(new String(Character.toChars(cp)));
          return true;
        } catch (IllegalArgumentException | IOException e) {
          return false;
        }
      });
    }

    float width(String text, float size) throws IOException {
      return font.getStringWidth(clean(text)) / 1000 * size;
    }
  }
}
