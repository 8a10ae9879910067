package org.learningregions.index;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * Benefit-of-the-doubt weights (Cherchye et al. 2007; Nardo et al. 2008, section 6.1.5): each region gets the weights
 * that show it in the best light, under the constraint that no region scores above 1 with those weights. For region c
 * with normalised values y_c (non-negative: min-max), the linear programme
 *
 * <pre>  max_w  sum_i w_i y_ci   s.t.  sum_i w_i y_ji <= 1 for every region j,  w_i >= floor </pre>
 *
 * <p>is solved with commons-math's simplex; the optimum is c's score in [0, 1] (1: on the frontier). A floor on the
 * weights keeps a region from scoring on one indicator alone; 0 is the pure version.
 */
public final class BenefitOfTheDoubt {
  private BenefitOfTheDoubt() {}

  /** The weights for region {@code c} and, last, its score. Missing values count as 0 (no benefit from them). */
  public static double[] solve(double[][] y, int c, double floor) {
    int k = y[0].length;
    List<LinearConstraint> constraints = new ArrayList<>();
    for (double[] row : y) {
      constraints.add(new LinearConstraint(clean(row), Relationship.LEQ, 1));
    }
    for (int i = 0; i < k; i++) {
      double[] unit = new double[k];
      unit[i] = 1;
      constraints.add(new LinearConstraint(unit, Relationship.GEQ, floor));
    }
    PointValuePair p = new SimplexSolver().optimize(new MaxIter(10_000),
        new LinearObjectiveFunction(clean(y[c]), 0), new LinearConstraintSet(constraints), GoalType.MAXIMIZE,
        new NonNegativeConstraint(true));
    double[] out = new double[k + 1];
    System.arraycopy(p.getPoint(), 0, out, 0, k);
    out[k] = p.getValue();
    return out;
  }

  /** Every region's score. */
  public static double[] scores(double[][] y, double floor) {
    double[] out = new double[y.length];
    for (int c = 0; c < y.length; c++) {
      double[] s = solve(y, c, floor);
      out[c] = s[s.length - 1];
    }
    return out;
  }

  private static double[] clean(double[] row) {
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = Double.isNaN(row[i]) ? 0 : row[i];
    }
    return out;
  }
}
