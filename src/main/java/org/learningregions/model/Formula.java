package org.learningregions.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.learningregions.LearningRegionsException;

/**
 * A model formula {@code y ~ x1 + log(x2) + a:b}: a response and terms, each a column, {@code log(column)} (natural
 * log; non-positive values become missing) or an interaction {@code a:b} (product) of such factors.
 */
public record Formula(String text, Term response, List<Term> terms) {
  private static final Pattern LOG = Pattern.compile("^log\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)$");
  private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

  /** One term: its display name, the columns it reads, and its Spark expression. */
  public record Term(String name, List<String> columns, Column expression) {}

  public static Formula parse(String text) {
    String[] sides = text.split("~");
    if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
      throw LearningRegionsException.usage("formula must be 'y ~ x1 + x2', got: " + text);
    }
    Term response = term(sides[0].trim(), text);
    List<Term> terms = new ArrayList<>();
    for (String t : sides[1].split("\\+")) {
      String s = t.trim();
      if (s.isEmpty()) {
        throw LearningRegionsException.usage("empty term in formula: " + text);
      }
      if (s.equals("1")) {
        continue;
      }
      terms.add(term(s, text));
    }
    if (terms.isEmpty()) {
      throw LearningRegionsException.usage("formula has no regressors: " + text);
    }
    return new Formula(text.trim(), response, List.copyOf(terms));
  }

  private static Term term(String s, String formula) {
    String[] factors = s.split(":");
    List<String> columns = new ArrayList<>();
    Column expr = null;
    List<String> names = new ArrayList<>();
    for (String f : factors) {
      String factor = f.trim();
      Matcher m = LOG.matcher(factor);
      Column c;
      if (m.matches()) {
        columns.add(m.group(1));
        Column raw = col(m.group(1)).cast("double");
        c = when(raw.gt(0), log(raw));
        names.add("log(" + m.group(1) + ")");
      } else if (NAME.matcher(factor).matches()) {
        columns.add(factor);
        c = col(factor).cast("double");
        names.add(factor);
      } else {
        throw LearningRegionsException.usage("cannot read term '" + factor + "' in formula: " + formula
            + " (use column, log(column) or a:b)");
      }
      expr = expr == null ? c : expr.multiply(c);
    }
    return new Term(String.join(":", names), List.copyOf(columns), expr);
  }

  /** Every input column the formula reads. */
  public Set<String> columns() {
    Set<String> out = new java.util.LinkedHashSet<>(response.columns());
    terms.forEach(t -> out.addAll(t.columns()));
    return out;
  }
}
