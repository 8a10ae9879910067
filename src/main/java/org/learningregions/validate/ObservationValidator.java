package org.learningregions.validate;

import static org.apache.spark.sql.functions.bool_and;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Types and checks statistical observations (Eurostat TSV, SDMX-CSV, OECD.Stat CSV), harmonises their region codes to
 * the target NUTS version, and splits them into silver regional_indicator rows and quarantined rows. The first
 * failing rule names the reason; values of merged regions are formed after the row rules (additive values summed,
 * rates with a configured denominator recomputed from it); duplicates of the table key are checked last, over the
 * accepted rows only.
 */
public final class ObservationValidator {
  private static final Logger LOG = LoggerFactory.getLogger(ObservationValidator.class);
  /**
   * Key of silver.regional_indicator. A dataset's files in different folders of the input are different vintages
   * (e.g. {@code eurostat_2017/trng_lfse_04.tsv} and {@code eurostat_2024/trng_lfse_04.tsv}): silver keeps both and
   * the panel chooses ({@code panel.vintage}); within one vintage a key is held by one file.
   */
  public static final List<String> KEY = List.of("indicator", "unit", "sex", "age", "other_dims", "region_code",
      "year", "source_dataset", "source_vintage");
  /** Columns whose change makes a re-ingested row an update. */
  public static final List<String> COMPARED = List.of("value", "flag", "obs_status", "confidentiality", "nuts_level",
      "country", "source_region_code", "source_nuts_version", "source_rows");

  /** Eurostat and OECD aggregates kept with no NUTS level (EU27_2020, EA19, EU28, EFTA, OECD totals). */
  static final String AGGREGATE_PATTERN = "^(EU|EA|EEA|EFTA|OECD)[0-9A-Z_]*$";

  private final IndicatorMapping mapping;
  private final NutsHarmoniser nuts;
  private final int minYear;
  private final int maxYear;

  public ObservationValidator(IndicatorMapping mapping, NutsHarmoniser nuts, int minYear, int maxYear) {
    this.mapping = mapping;
    this.nuts = nuts;
    this.minYear = minYear;
    this.maxYear = maxYear;
  }

  /**
   * Observations per file and region code (source_file, source_dataset, geo, rows, keys_distinct), in one
   * aggregation over the files' lines (source_file, source_dataset, geo, line_key, observations: the observations the
   * line holds; an SDMX-CSV line holds one, a bulk TSV line one per year): the NUTS version of each file is voted
   * from its distinct codes, and the rows read are counted from it. A line's {@code line_key} is a hash of what,
   * beside the region code, makes the silver keys of its observations (a bulk TSV line's dimensions, when its year
   * labels are distinct integers), or null when the reader cannot give one; {@code keys_distinct} says that every
   * line of the code has a line key and no two have the same, so that none of their observations can repeat a key.
   */
  public static Dataset<Row> codesByFile(Dataset<Row> lines) {
    return lines.groupBy("source_file", "source_dataset", "geo", "line_key")
        .agg(count(lit(1)).as("lines"), sum("observations").as("observations"))
        .groupBy("source_file", "source_dataset", "geo")
        .agg(sum("observations").cast("long").as("rows"),
            bool_and(col("line_key").isNotNull().and(col("lines").equalTo(1))).as("keys_distinct"));
  }

  /** NaN or an infinity (Spark reads "NaN", "Infinity" and an overflow such as "1e400" as doubles). */
  public static Column nonFinite(Column value) {
    return value.isNotNull().and(org.apache.spark.sql.functions.isnan(value)
        .or(org.apache.spark.sql.functions.abs(value).equalTo(Double.POSITIVE_INFINITY)));
  }

  /**
   * @param observations the files' observations ({@link Observations})
   * @param fileCodes {@link #codesByFile} of the observations' files
   * @param lines the files' numbered lines (source_sha256, line_no, raw), joined back only to quarantined rows
   */
  public Validated validate(SparkSession spark, Dataset<Row> observations, Dataset<Row> fileCodes,
      Dataset<Row> lines, String runId) {
    Dataset<Row> codeMap = nuts.codeMap(spark, fileCodes);
    boolean keysDistinct = keysDistinct(fileCodes, codeMap);
    Dataset<Row> typed = NutsHarmoniser.resolve(observations
        .withColumn("indicator", mapping.indicatorColumn())
        .withColumn("kind", mapping.kindColumn(col("indicator")))
        .withColumn("year", expr("try_cast(year_raw AS INT)"))
        .withColumn("value", when(col("value_raw").equalTo(":"), lit(null).cast("double"))
            .otherwise(expr("try_cast(value_raw AS DOUBLE)")))
        // -0 is 0: a signed zero would print as "-0.0" and compare apart in joins of the value.
        .withColumn("value", when(col("value").equalTo(0), lit(0.0)).otherwise(col("value")))
        .withColumn("obs_status", FlagCodes.status())
        .withColumn("confidentiality", FlagCodes.confidentiality()), codeMap);
    Map<String, IndicatorMapping.Denominator> denominators = mapping.denominators();
    Column recomputable = col("kind").equalTo("additive").or(denominators.isEmpty() ? lit(false)
        : col("indicator").isin(denominators.keySet().toArray()));
    Column isAggregate = col("geo").rlike(AGGREGATE_PATTERN);
    Column fromOecd = col("source_agency").equalTo("OECD");
    Column mapKind = col("map_kind");
    Column reason = when(col("structural_error").isNotNull(), lit(ReasonCode.WRONG_FIELD_COUNT.code()))
        .when(col("year").isNull(), lit(ReasonCode.UNPARSEABLE_YEAR.code()))
        .when(col("year").lt(minYear).or(col("year").gt(maxYear)), lit(ReasonCode.YEAR_OUT_OF_RANGE.code()))
        .when(col("value").isNull().and(col("value_raw").notEqual(":")), lit(ReasonCode.UNPARSEABLE_NUMBER.code()))
        .when(nonFinite(col("value")), lit(ReasonCode.NON_FINITE_NUMBER.code()))
        // A bulk TSV cell is "value flags" and flags are letters: "1 234" is a number with a space in it (a
        // thousands separator), not 1 flagged "234".
        .when(col("source_format").equalTo("EUROSTAT_TSV").and(col("flag").rlike("[^A-Za-z]")),
            lit(ReasonCode.UNPARSEABLE_NUMBER.code()))
        .when(col("geo").isNull().or(col("geo").equalTo("")), lit(ReasonCode.MISSING_REQUIRED_VALUE.code()))
        .when(mapKind.isNull().and(not(isAggregate)).and(not(fromOecd)), lit(ReasonCode.UNKNOWN_REGION.code()))
        .when(mapKind.equalTo("unconvertible"), lit(ReasonCode.NUTS_BOUNDARY_CHANGE.code()))
        .when(col("kind").equalTo("rate").and(col("value").lt(0).or(col("value").gt(100))),
            lit(ReasonCode.RATE_OUT_OF_RANGE.code()))
        .when(col("kind").equalTo("additive").and(col("value").lt(0)), lit(ReasonCode.NEGATIVE_COUNT.code()))
        .when(mapKind.equalTo("merge").and(not(coalesce(recomputable, lit(false)))),
            lit(ReasonCode.NUTS_MERGE_NON_ADDITIVE.code()));
    Column detail = when(col("structural_error").isNotNull(), col("structural_error"))
        .otherwise(concat_ws(" ", lit("geo="), coalesce(col("geo"), lit("")), lit("value="),
            coalesce(col("value_raw"), lit("")),
            when(mapKind.isNotNull().and(mapKind.notEqual("identity")), concat_ws("", lit("nuts="),
                col("source_nuts_version").cast("string"), lit("->"), lit(String.valueOf(nuts.targetVersion())),
                lit(" "), mapKind, lit(" "), col("map_target")))));
    // Only what later steps read is cached: the dimension map is kept for rates and their denominators alone (the
    // merged-rate weights are looked up by dimension), which keeps the cache of a large file small.
    Set<String> weighted = new HashSet<>();
    denominators.values().forEach(d -> {
      weighted.add(d.rate());
      weighted.add(d.indicator());
    });
    Column dimsIfWeighted = weighted.isEmpty() ? lit(null).cast(observations.schema().apply("dims").dataType())
        : when(col("indicator").isin(weighted.toArray()), col("dims"));
    Dataset<Row> checkedRows = typed.select(
            col("indicator"), col("kind"),
            col("unit"), col("sex"), col("age"), col("other_dims"),
            dimsIfWeighted.as("dims"),
            col("geo"), col("year"), col("year_raw"), col("value"), col("flag"), col("obs_status"),
            col("confidentiality"), col("source_file"), vintage(col("source_file")).as("source_vintage"),
            col("source_sha256"), col("source_dataset"), col("source_agency"), col("line_no"), col("column_ref"),
            col("map_kind"), col("map_level"), col("map_target"), col("map_parts"), col("source_nuts_version"),
            reason.as("reason"), detail.as("detail"),
            col("geo").as("source_region_code"), lit(1).as("source_rows"))
        // The detail is read only from rows that are quarantined, or may be (parts of merged regions): on the other
        // rows it would be a distinct string per cell in the cache below, the one column its encodings cannot shrink.
        .withColumn("detail", when(col("reason").isNotNull().or(mapKind.equalTo("merge")), col("detail")));
    LOG.info(keysDistinct ? "keys cannot repeat and no region merges: one pass, no duplicate check"
        : "keys may repeat or regions merge: checked rows cached for the duplicate and merge rules");
    if (keysDistinct) {
      // No merges and no key that can repeat: silver is the rows that pass the row rules, written in the one pass
      // that parses and checks them (a bulk file's cells are not cached; quarantine, when a file has rejects, parses
      // it again and keeps only those).
      return new Validated(silverRows(checkedRows.filter(col("reason").isNull())
          .withColumn("geo", coalesce(col("map_target"), col("geo"))), runId),
          quarantined(checkedRows.filter(col("reason").isNotNull()), lines, runId));
    }
    Dataset<Row> checked = checkedRows
        // Spark's columnar cache (compressed: a local checkpoint of the same rows spilled to disk at 10 million
        // cells and took 20% longer), filled here in one pass: the branches below (merges, rate weights,
        // duplicates, quarantine) run as concurrent stages, and a lazily filled cache let each of them parse and
        // check the file again.
        .persist();
    checked.count();

    // Regions that merged: additive values are summed, rates averaged with their denominators as weights, per file
    // and key, only when every part is there. A rate part with a value but no usable weight cannot be merged.
    Dataset<Row> valid = checked.filter(col("reason").isNull());
    List<String> mergeKey = List.of("indicator", "unit", "sex", "age", "other_dims", "map_target", "year",
        "source_dataset");
    Dataset<Row> mergeParts = valid.filter(mapKind.equalTo("merge"));
    Dataset<Row> rateParts = RateWeights.attach(mergeParts.filter(col("kind").equalTo("rate")), valid, denominators);
    Column unweighted = col("value").isNotNull().and(col("merge_weight").isNull());
    Dataset<Row> unmergeableRates = rateParts.filter(unweighted)
        .withColumn("reason", lit(ReasonCode.NUTS_MERGE_NON_ADDITIVE.code()))
        .withColumn("detail", concat_ws(" ", col("detail"), col("weight_problem")))
        .drop("merge_weight", "weight_problem");
    Validated merged = NutsHarmoniser.mergeParts(mergeParts.filter(col("kind").equalTo("additive"))
        .withColumn("merge_weight", lit(null).cast("double"))
        .unionByName(rateParts.filter(not(unweighted)).drop("weight_problem")), mergeKey);
    Dataset<Row> candidates = valid.filter(coalesce(mapKind, lit("")).notEqual("merge"))
        .withColumn("geo", coalesce(col("map_target"), col("geo")))
        .unionByName(merged.accepted());

    // Duplicates are judged among otherwise valid rows: the same key with different values or flags conflicts
    // (all copies quarantined); an exact repeat keeps its first occurrence.
    String[] key = KEY.stream().map(k -> k.equals("region_code") ? "geo" : k).toArray(String[]::new);
    Dataset<Row> deduplicated = DuplicateKeys.mark(candidates, key,
            concat_ws("|", coalesce(col("value").cast("string"), lit(":")), col("flag")), col("value").isNotNull())
        .withColumn("detail", when(col("reason").isNotNull(), concat_ws(" ", lit("key repeated:"), col("indicator"),
            col("geo"), col("year_raw"))).otherwise(col("detail")));

    Dataset<Row> accepted = silverRows(deduplicated.filter(col("reason").isNull()), runId);
    Dataset<Row> rejected = checked.filter(col("reason").isNotNull())
        .unionByName(unmergeableRates)
        .unionByName(merged.quarantined())
        .unionByName(deduplicated.filter(col("reason").isNotNull()).filter(col("source_rows").equalTo(1)))
        .unionByName(splitMerged(deduplicated.filter(col("reason").isNotNull()).filter(col("source_rows").gt(1)),
            checked));
    return new Validated(accepted, quarantined(rejected, lines, runId), checked::unpersist);
  }

  /**
   * Whether no two records of the files can have the same silver key and no region merges: every code's records
   * have distinct line keys ({@link #codesByFile}), no two files share a dataset and vintage, and no two codes of a
   * file map to the same region. Decided on the small per-code tables, never on the records.
   */
  private static boolean keysDistinct(Dataset<Row> fileCodes, Dataset<Row> codeMap) {
    // Each condition gives the rows that break it; one job asks whether any of them has a row (three jobs, each
    // planned and run on its own, spanned 0.6-1.4 s of an ingest in event logs of 2026-12-04).
    Dataset<Row> repeatedLineKeys = fileCodes.filter(col("geo").isNotNull().and(not(col("keys_distinct"))))
        .select(lit(1).as("broken"));
    Dataset<Row> sharedVintages = fileCodes.select(col("source_file"), col("source_dataset")).distinct()
        .groupBy(col("source_dataset"), vintage(col("source_file"))).count().filter(col("count").gt(1))
        .select(lit(2).as("broken"));
    Dataset<Row> sharedRegions = codeMap.groupBy(col("cm_file"), coalesce(col("map_target"), col("cm_geo")))
        .agg(count(lit(1)).as("codes"), max(coalesce(col("map_kind"), lit("")).equalTo("merge")).as("merge"))
        .filter(col("codes").gt(1).or(col("merge"))).select(lit(3).as("broken"));
    return repeatedLineKeys.unionByName(sharedVintages).unionByName(sharedRegions).isEmpty();
  }

  /** Silver regional_indicator rows of checked rows that are accepted (geo: the region code in the target NUTS). */
  private static Dataset<Row> silverRows(Dataset<Row> accepted, String runId) {
    Column isNuts = col("map_kind").isNotNull();
    Column fromOecd = col("source_agency").equalTo("OECD");
    return accepted.select(
        col("indicator"), col("unit"), col("sex"), col("age"), col("other_dims"),
        col("geo").as("region_code"),
        when(isNuts, col("map_level")).as("nuts_level"),
        when(isNuts, substring(col("geo"), 1, 2)).as("country"),
        col("year"), col("value"), col("flag"), col("obs_status"), col("confidentiality"), col("source_dataset"),
        col("source_region_code"),
        when(isNuts, col("source_nuts_version").cast("string")).when(fromOecd, lit("OECD-TL"))
            .as("source_nuts_version"),
        col("source_rows"), col("source_file"), col("line_no").as("source_line"), lit(runId).as("ingest_run_id"),
        col("source_vintage"));
  }

  /** Quarantine rows of rejected checked rows, with the raw line each came from. */
  private static Dataset<Row> quarantined(Dataset<Row> rejected, Dataset<Row> lines, String runId) {
    Dataset<Row> raw = lines.select(col("source_sha256").as("l_sha256"), col("line_no").as("l_line_no"), col("raw"));
    Dataset<Row> withRaw = rejected.join(raw, col("source_sha256").equalTo(col("l_sha256"))
        .and(col("line_no").equalTo(col("l_line_no"))), "left");
    return Quarantine.rows(withRaw, col("column_ref"), col("detail"), runId);
  }

  /** The folder part of a source name ("" for a file given on its own or at the top of the input directory). */
  public static Column vintage(Column sourceFile) {
    return regexp_extract(sourceFile, "^(.*)/[^/]*$", 1);
  }

  /**
   * A merged row that turns out to be a duplicate is quarantined as its original parts, so that quarantine keeps
   * raw lines and every source row is counted once.
   */
  private static Dataset<Row> splitMerged(Dataset<Row> duplicates, Dataset<Row> checked) {
    Dataset<Row> keys = duplicates.select(col("source_file").as("d_file"), col("indicator").as("d_indicator"),
        col("unit").as("d_unit"), col("sex").as("d_sex"), col("age").as("d_age"), col("other_dims").as("d_other"),
        col("geo").as("d_target"), col("year").as("d_year"), col("source_dataset").as("d_dataset"),
        col("reason").as("d_reason"), col("detail").as("d_detail"));
    Column match = col("source_file").equalTo(col("d_file")).and(col("indicator").equalTo(col("d_indicator")))
        .and(col("unit").equalTo(col("d_unit"))).and(col("sex").equalTo(col("d_sex")))
        .and(col("age").equalTo(col("d_age"))).and(col("other_dims").equalTo(col("d_other")))
        .and(col("map_target").equalTo(col("d_target"))).and(col("year").equalTo(col("d_year")))
        .and(col("source_dataset").equalTo(col("d_dataset")));
    return checked.filter(col("reason").isNull().and(col("map_kind").equalTo("merge")))
        .join(broadcast(keys), match)
        .withColumn("reason", col("d_reason")).withColumn("detail", col("d_detail"))
        .drop(keys.columns());
  }

  /** Source rows per file, for reconciliation: read = accepted + quarantined (a merged row counts its parts). */
  public static Dataset<Row> countsByFile(Dataset<Row> accepted, Dataset<Row> quarantined) {
    // Distinct column names on both sides: the two halves share lineage, so plain column references are ambiguous.
    Column acceptedRows = java.util.Arrays.asList(accepted.columns()).contains("source_rows")
        ? sum(col("source_rows")) : count(lit(1));
    Dataset<Row> a = accepted.groupBy(col("source_file").as("file_a")).agg(acceptedRows.cast("long").as("accepted"));
    Dataset<Row> q = quarantined.groupBy(col("source_file").as("file_q")).agg(count(lit(1)).as("quarantined"));
    return a.join(q, col("file_a").equalTo(col("file_q")), "full_outer")
        .select(coalesce(col("file_a"), col("file_q")).as("source_file"),
            coalesce(col("accepted"), lit(0L)).as("accepted"), coalesce(col("quarantined"), lit(0L)).as("quarantined"));
  }
}
