package org.learningregions.validate;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Brings region codes of any NUTS version to the target version, in Spark, with {@link NutsCorrespondence}.
 *
 * <p>Each file's NUTS version is the version whose NUTS 1 and 2 codes cover most of the file's codes (ties go to the
 * target, then to the newest): bulk files are published in one version but often keep a few codes of the previous
 * one (the 2017 trng_lfse_04 is NUTS 2013 with some NUTS 2010 London and French codes). A code absent from its
 * file's version is read in the newest version that has it. Every row then carries {@code source_nuts_version},
 * {@code map_target}, {@code map_kind} (identity, recode, merge, unconvertible; null when the code is in no version)
 * and {@code map_parts}.
 */
public final class NutsHarmoniser {
  private final NutsCorrespondence nuts;

  public NutsHarmoniser(NutsCorrespondence nuts) {
    this.nuts = nuts;
  }

  public int targetVersion() {
    return nuts.target();
  }

  /**
   * The mapping of each file's region codes (cm_file, cm_geo, map_version, map_level, map_target, map_kind,
   * map_parts), kept: small, and read by {@link #resolve} and by the caller's checks.
   *
   * @param fileCodes the (source_file, geo) pairs of the rows to resolve: bounded by the classification's size,
   *     whatever the input's size, and computed by the caller in one pass over the records
   */
  public Dataset<Row> codeMap(SparkSession spark, Dataset<Row> fileCodes) {
    Dataset<Row> codeVersions = broadcast(nuts.codeVersions(spark));
    Dataset<Row> votes = fileCodes.select(col("source_file"), col("geo")).distinct()
        .join(codeVersions, col("geo").equalTo(col("cv_code")))
        .groupBy(col("source_file").as("fv_file"), col("cv_version")).agg(count(lit(1)).as("fv_codes"));
    Dataset<Row> fileVersion = votes
        .withColumn("fv_rank", row_number().over(Window.partitionBy("fv_file").orderBy(col("fv_codes").desc(),
            col("cv_version").equalTo(nuts.target()).desc(), col("cv_version").desc())))
        .filter(col("fv_rank").equalTo(1))
        .select(col("fv_file"), col("cv_version").as("file_nuts_version"));

    Dataset<Row> mapping = nuts.toDataFrame(spark);
    Dataset<Row> latest = mapping.groupBy(col("map_code").as("lv_code")).agg(max("map_version").as("latest_version"));
    Dataset<Row> inFileVersion = prefixed(mapping, "f_");
    Dataset<Row> inLatest = prefixed(mapping, "l_");
    // The mapping is decided once per distinct (file, code) pair, a table bounded by the classification, and kept:
    // every write of the rows (silver, then quarantine) then costs one broadcast join instead of repeating the vote
    // and four joins.
    Dataset<Row> joined = fileCodes.select(col("source_file").as("cm_file"), col("geo").as("cm_geo")).distinct()
        .join(broadcast(fileVersion), col("cm_file").equalTo(col("fv_file")), "left")
        .join(broadcast(latest), col("cm_geo").equalTo(col("lv_code")), "left")
        .join(broadcast(inFileVersion), col("cm_geo").equalTo(col("f_map_code"))
            .and(col("file_nuts_version").equalTo(col("f_map_version"))), "left")
        .join(broadcast(inLatest), col("cm_geo").equalTo(col("l_map_code"))
            .and(col("latest_version").equalTo(col("l_map_version"))), "left");
    Column inFile = col("f_map_code").isNotNull();
    List<Column> mapped = new ArrayList<>(List.of(col("cm_file"), col("cm_geo")));
    for (String c : List.of("map_version", "map_level", "map_target", "map_kind", "map_parts")) {
      mapped.add(when(inFile, col("f_" + c)).otherwise(col("l_" + c)).as(c));
    }
    return joined.select(mapped.toArray(new Column[0])).localCheckpoint();
  }

  /** Adds the NUTS columns to rows with {@code source_file} and {@code geo}, from their files' {@link #codeMap}. */
  public static Dataset<Row> resolve(Dataset<Row> rows, Dataset<Row> codeMap) {
    return rows.join(broadcast(codeMap), col("source_file").equalTo(col("cm_file"))
            .and(col("geo").equalTo(col("cm_geo"))), "left")
        .drop("cm_file", "cm_geo").withColumnRenamed("map_version", "source_nuts_version");
  }

  private static Dataset<Row> prefixed(Dataset<Row> df, String prefix) {
    Dataset<Row> out = df;
    for (String c : df.columns()) {
      out = out.withColumnRenamed(c, prefix + c);
    }
    return out;
  }

  /**
   * Forms one row per target region from the rows of regions that merged into it, per file and key. Additive values
   * are summed; rates are recomputed as the mean of the parts weighted by their denominator ({@code merge_weight},
   * null for additive rows), which is the rate of the merged region when the weights are the rates' denominators.
   * Complete groups (every part present, all with values or all not available) become one row whose
   * {@code source_region_code} lists the parts ({@code DE41+DE42}) and whose {@code source_rows} counts them; rows of
   * incomplete groups are returned as quarantined with reason {@code nuts_merge_incomplete}.
   *
   * @param rows valid rows with {@code map_kind = 'merge'}, {@code kind}, {@code merge_weight}, the silver key
   *     columns, value, flags and provenance
   * @param key the silver key with {@code map_target} in place of the region code
   */
  public static Validated mergeParts(Dataset<Row> rows, List<String> key) {
    List<Column> groupCols = new ArrayList<>();
    groupCols.add(col("source_file"));
    key.forEach(k -> groupCols.add(col(k)));
    Column[] group = groupCols.toArray(new Column[0]);
    Dataset<Row> counted = rows
        .withColumn("__present", size(collect_set(col("geo")).over(Window.partitionBy(group))))
        .withColumn("__with_value", count(col("value")).over(Window.partitionBy(group)))
        .withColumn("__complete", col("__present").equalTo(col("map_parts"))
            .and(col("__with_value").equalTo(col("map_parts")).or(col("__with_value").equalTo(0))));
    Dataset<Row> incomplete = counted.filter(col("__complete").equalTo(false))
        .withColumn("reason", lit(ReasonCode.NUTS_MERGE_INCOMPLETE.code()))
        .drop("__present", "__with_value", "__complete", "merge_weight");
    List<Column> aggs = new ArrayList<>();
    for (String c : rows.columns()) {
      if (!key.contains(c) && !c.equals("source_file") && !List.of("geo", "value", "flag", "obs_status",
          "confidentiality", "line_no", "source_region_code", "source_rows", "merge_weight").contains(c)) {
        aggs.add(first(col(c)).as(c));
      }
    }
    aggs.add(min(col("line_no")).as("line_no"));
    Column weightedMean = sum(col("value").multiply(col("merge_weight"))).divide(sum(col("merge_weight")));
    aggs.add(when(count(col("value")).gt(0), when(max(col("kind")).equalTo("rate"), weightedMean)
        .otherwise(sum(col("value")))).as("value"));
    aggs.add(array_join(array_sort(collect_set(col("geo"))), "+").as("source_region_code"));
    aggs.add(count(lit(1)).cast("int").as("source_rows"));
    aggs.add(unionOfLetters("flag"));
    aggs.add(unionOfLetters("obs_status"));
    aggs.add(max(col("confidentiality")).as("confidentiality"));
    Dataset<Row> merged = counted.filter(col("__complete"))
        .drop("__present", "__with_value", "__complete")
        .groupBy(group).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
        .withColumn("geo", col("map_target"));
    return new Validated(merged, incomplete);
  }

  /** The merged group's flags: every letter any part carried, sorted ("b" and "bu" give "bu"). */
  private static Column unionOfLetters(String column) {
    return coalesce(array_join(array_sort(array_distinct(flatten(collect_list(split(col(column), ""))))), ""), lit(""))
        .as(column);
  }
}
