package org.learningregions.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.learningregions.LearningRegionsException;
import org.learningregions.util.Seqs;

/**
 * A panel column computed from several silver series that differ in one dimension ({@code panel.derived}): the rows
 * of {@code base}, told apart by their code in {@code dimension} (sex, age, unit, or any other dimension such as
 * nace_r2 or isced11).
 *
 * <ul>
 *   <li>{@code share}: 100 × Σ value(parts) / value(reference), e.g. the tertiary-educated (isced11 ED5-8) share of
 *       the employed (TOTAL); null unless every part and a positive reference are there.</li>
 *   <li>{@code difference}: value(parts[0]) − value(reference), e.g. women's minus men's participation rate.</li>
 *   <li>{@code lilien}: Lilien's (1982) index of sectoral reallocation, the employment-share-weighted standard
 *       deviation of the sectors' employment growth around the region's,
 *       σ_rt = √(Σ_i s_irt (Δln e_irt − Δln E_rt)²) with s_irt = e_irt / E_rt and E_rt = Σ_i e_irt over the listed
 *       sectors ({@code parts}) with positive employment in t and t−1. Without a {@code total} every listed sector
 *       must be there; with one (the code of all activities, e.g. TOTAL) sectors missing in the file (confidential
 *       or too small to publish) may be left out as long as those present hold at least {@code minCoverage} of the
 *       total's employment in t.</li>
 * </ul>
 *
 * @param name the panel column
 * @param kind share, difference or lilien
 * @param label what the column holds, for the codebook and the report
 * @param base the silver rows (indicator, dataset, sex, age, unit, other) the codes are taken from
 * @param dimension the dimension whose codes tell the series apart
 * @param parts numerator codes (share), the minuend (difference) or the sectors (lilien)
 * @param reference denominator (share), subtrahend (difference) or total (lilien, optional)
 * @param minCoverage lilien with a total: the least share of the total's employment the sectors present must hold
 */
public record DerivedSeries(String name, String kind, String label, SeriesSelection base, String dimension,
    List<String> parts, String reference, double minCoverage) {
  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]*$");

  public DerivedSeries {
    if (!NAME.matcher(name).matches()) {
      throw LearningRegionsException.usage("panel.derived: column name must be lower-case letters, digits and _, "
          + "not " + name);
    }
    if (!List.of("share", "difference", "lilien").contains(kind)) {
      throw LearningRegionsException.usage("panel.derived." + name + ".kind must be share, difference or lilien, not "
          + kind);
    }
    parts = List.copyOf(parts);
    if (!(minCoverage > 0 && minCoverage <= 1)) {
      throw LearningRegionsException.usage("panel.derived." + name + ".min-coverage must be in (0, 1], not "
          + minCoverage);
    }
    if (parts.isEmpty() || (!kind.equals("lilien") && reference == null)
        || (kind.equals("difference") && parts.size() != 1) || (kind.equals("lilien") && parts.size() < 2)) {
      throw LearningRegionsException.usage("panel.derived." + name + ": a " + kind + " needs "
          + switch (kind) {
            case "share" -> "numerator (a list of codes) and denominator";
            case "difference" -> "minuend and subtrahend";
            default -> "sectors (two or more codes)";
          });
    }
  }

  /** A share or difference, or a Lilien index over every listed sector. */
  public DerivedSeries(String name, String kind, String label, SeriesSelection base, String dimension,
      List<String> parts, String reference) {
    this(name, kind, label, base, dimension, parts, reference, 1.0);
  }

  /** Every entry of {@code panel.derived}, by column name (HOCON objects have no order). */
  static List<DerivedSeries> listOf(Config section) {
    List<DerivedSeries> out = new ArrayList<>();
    for (String name : section.root().keySet().stream().sorted().toList()) {
      Config c = section.getConfig(name);
      String kind = c.getString("kind");
      List<String> parts = switch (kind) {
        case "share" -> c.getStringList("numerator");
        case "difference" -> List.of(c.getString("minuend"));
        case "lilien" -> c.getStringList("sectors");
        default -> List.of();
      };
      String reference = switch (kind) {
        case "share" -> c.getString("denominator");
        case "difference" -> c.getString("subtrahend");
        default -> c.hasPath("total") ? c.getString("total") : null;
      };
      out.add(new DerivedSeries(name, kind, c.hasPath("label") ? c.getString("label") : name,
          SeriesSelection.of(c.getConfig("base")), c.getString("dimension"), parts, reference,
          c.hasPath("min-coverage") ? c.getDouble("min-coverage") : 1.0));
    }
    return out;
  }

  /** One value per region and year that has one: region_code, year, {@code name}. */
  Dataset<Row> compute(Dataset<Row> atLevel) {
    List<String> codes = new ArrayList<>(parts);
    if (reference != null) {
      codes.add(reference);
    }
    // One value per region, year and code: within the chosen vintage a key has one row; across datasets mapped to
    // the same indicator the alphabetically last dataset wins, as for the other panel inputs.
    Dataset<Row> values = base.filter(atLevel).withColumn("code", code())
        .filter(col("code").isin(codes.toArray()).and(col("value").isNotNull()))
        .groupBy("region_code", "year", "code").agg(expr("max_by(value, source_dataset)").as("v"));
    return switch (kind) {
      case "share" -> values.groupBy("region_code", "year").agg(
              sum(when(col("code").isin(parts.toArray()), col("v"))).as("num"),
              count(when(col("code").isin(parts.toArray()), lit(1))).as("n"),
              max(when(col("code").equalTo(reference), col("v"))).as("den"))
          .select(col("region_code"), col("year"), when(col("n").equalTo(parts.size()).and(col("den").gt(0)),
              col("num").multiply(100).divide(col("den"))).as(name));
      case "difference" -> values.groupBy("region_code", "year").agg(
              max(when(col("code").equalTo(parts.get(0)), col("v"))).as("a"),
              max(when(col("code").equalTo(reference), col("v"))).as("b"))
          .select(col("region_code"), col("year"), col("a").minus(col("b")).as(name));
      default -> lilien(values);
    };
  }

  private Dataset<Row> lilien(Dataset<Row> values) {
    Dataset<Row> positive = values.filter(col("v").gt(0).and(col("code").isin(parts.toArray())));
    Dataset<Row> before = positive.select(col("region_code"), col("year").plus(1).as("year"), col("code"),
        col("v").as("v0"));
    // With g_i = ln(e_i / e0_i), G = ln(E / E0) and shares summing to one:
    // Σ s_i (g_i − G)² = (Σ e_i g_i² − 2G Σ e_i g_i) / E + G².
    Column g = log(col("v").divide(col("v0")));
    Dataset<Row> sums = positive.join(before, Seqs.of("region_code", "year", "code"))
        .groupBy("region_code", "year").agg(count(lit(1)).as("n"), sum("v").as("e"), sum("v0").as("e0"),
            sum(col("v").multiply(g).multiply(g)).as("a"), sum(col("v").multiply(g)).as("b"));
    Column complete = col("n").equalTo(parts.size());
    if (reference != null) {
      Dataset<Row> totals = values.filter(col("code").equalTo(reference))
          .select(col("region_code"), col("year"), col("v").as("total"));
      sums = sums.join(totals, Seqs.of("region_code", "year"), "left");
      complete = col("e").geq(col("total").multiply(minCoverage));
    }
    Column bigG = log(col("e").divide(col("e0")));
    Column variance = col("a").divide(col("e")).minus(bigG.multiply(2).multiply(col("b")).divide(col("e")))
        .plus(bigG.multiply(bigG));
    // Rounding can leave a variance of -1e-17 where every sector grew alike: that is zero.
    Column clipped = when(variance.lt(0), lit(0.0)).otherwise(variance);
    return sums.select(col("region_code"), col("year"), when(complete, sqrt(clipped)).as(name));
  }

  private Column code() {
    if (List.of("sex", "age", "unit").contains(dimension)) {
      return col(dimension);
    }
    return regexp_extract(col("other_dims"), "(?:^|,)" + Pattern.quote(dimension) + "=([^,]*)", 1);
  }
}
