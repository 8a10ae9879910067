package org.learningregions.validate;

/**
 * Stable reason codes for quarantined rows. They are part of the output contract (quarantine tables, manifests,
 * tests): add new ones, never rename.
 */
public enum ReasonCode {
  WRONG_FIELD_COUNT("wrong_field_count", "the line has a different number of fields than the header"),
  UNPARSEABLE_YEAR("unparseable_year", "the time period is not a year"),
  YEAR_OUT_OF_RANGE("year_out_of_range", "the year is outside validate.min-year..max-year"),
  UNPARSEABLE_NUMBER("unparseable_number", "the value is neither a number nor ':'"),
  UNKNOWN_REGION("unknown_region", "the region code is not in the NUTS classification nor a known aggregate"),
  UNEXPECTED_NUTS_LEVEL("unexpected_nuts_level", "the region is not at the NUTS level this source must have"),
  RATE_OUT_OF_RANGE("rate_out_of_range", "a percentage outside 0..100"),
  NEGATIVE_COUNT("negative_count", "a count or money amount below zero"),
  NON_POSITIVE_WEIGHT("non_positive_weight", "a survey weight that is missing, zero or negative"),
  MISSING_REQUIRED_VALUE("missing_required_value", "a required field is empty"),
  INVALID_CODE("invalid_code", "a coded field holds a value outside its code list"),
  DUPLICATE_CONFLICT("duplicate_conflict", "the same key occurs more than once with different values"),
  DUPLICATE_IDENTICAL("duplicate_identical", "an exact repeat of a row already accepted"),
  DUPLICATE_NOT_AVAILABLE("duplicate_not_available",
      "a ':' (not available) cell for a key another row of the input gives a value for, e.g. under a region's "
          + "old code"),
  NUTS_BOUNDARY_CHANGE("nuts_boundary_change",
      "the region was split or its boundary moved between its NUTS version and the target: no value can be carried"),
  NUTS_MERGE_NON_ADDITIVE("nuts_merge_non_additive",
      "the region merged into a larger target region and the indicator is a rate, which cannot be summed"),
  NUTS_MERGE_INCOMPLETE("nuts_merge_incomplete",
      "the region merged into a larger target region but not every part has a value for this key"),
  NON_FINITE_NUMBER("non_finite_number",
      "a value that reads as a number but is not finite: NaN, Infinity, or beyond a double's range such as 1e400");

  private final String code;
  private final String meaning;

  ReasonCode(String code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public String code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
