package org.learningregions.model;

import java.util.ArrayList;
import java.util.List;
import org.learningregions.LearningRegionsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The least-squares solve from the triangular factor of {@code sqrt(w)[Z y]}: collinear columns (a diagonal entry of
 * R at or below {@value #COLLINEAR_TOLERANCE} of the column's scale) are dropped one at a time and reported, never a
 * dummy column; then back substitution.
 */
final class LeastSquares {
  private static final Logger LOG = LoggerFactory.getLogger(LeastSquares.class);
  static final double COLLINEAR_TOLERANCE = 1e-9;

  private LeastSquares() {}

  /**
   * The solved system.
   *
   * @param keep kept columns of the design rows, dummies first
   * @param r the factor of the kept columns and the response
   * @param qAll kept columns
   * @param keptDummies how many of them are dummy columns
   * @param b coefficients of the kept columns
   * @param collinear names of the regressors dropped
   */
  record Solve(List<Integer> keep, double[][] r, int qAll, int keptDummies, double[] b, List<String> collinear) {}

  /**
   * @param model the model's name, for messages
   * @param warnings where a dropped term is reported
   */
  static Solve solve(String model, List<String> warnings, double[][] rFull, List<String> names, List<Double> scales,
      int dummies) {
    int p = names.size();
    List<Integer> keep = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      keep.add(j);
    }
    List<String> collinear = new ArrayList<>();
    double[][] r;
    // Drop collinear columns one at a time, re-triangularising the small factor.
    while (true) {
      int[] sel = new int[keep.size() + 1];
      for (int i = 0; i < keep.size(); i++) {
        sel[i] = keep.get(i);
      }
      sel[keep.size()] = p;
      r = keep.size() == p ? rFull : Tsqr.select(rFull, sel);
      int bad = -1;
      for (int i = 0; i < keep.size(); i++) {
        double scale = scales.get(keep.get(i));
        if (Math.abs(r[i][i]) <= COLLINEAR_TOLERANCE * Math.max(scale, Double.MIN_NORMAL)) {
          bad = i;
          break;
        }
      }
      if (bad < 0) {
        break;
      }
      String name = names.get(keep.get(bad));
      if (keep.get(bad) >= dummies) {
        collinear.add(name);
        warnings.add("dropped collinear term " + name);
        LOG.warn("model {}: term {} is collinear with other terms or the fixed effects; dropped", model, name);
      }
      keep.remove(bad);
      if (keep.size() <= countBelow(keep, dummies)) {
        throw LearningRegionsException.failure("model " + model + ": every term is collinear with the fixed effects");
      }
    }
    int qAll = keep.size();
    double[] b = new double[qAll];
    for (int i = qAll - 1; i >= 0; i--) {
      double s = r[i][qAll];
      for (int j = i + 1; j < qAll; j++) {
        s -= r[i][j] * b[j];
      }
      b[i] = s / r[i][i];
    }
    return new Solve(keep, r, qAll, countBelow(keep, dummies), b, collinear);
  }

  static int countBelow(List<Integer> keep, int limit) {
    int c = 0;
    for (int i : keep) {
      if (i < limit) {
        c++;
      }
    }
    return c;
  }}
