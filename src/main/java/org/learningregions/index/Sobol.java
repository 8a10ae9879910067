package org.learningregions.index;

/**
 * Variance-based sensitivity indices from the Saltelli design (Saltelli et al. 2010, "Variance based sensitivity
 * analysis of model output", Computer Physics Communications 181): two independent sample matrices A and B of N rows
 * over k factors, and for each factor i the matrix AB_i (A with column i taken from B). With f evaluated on all of
 * them (N(k + 2) runs):
 *
 * <ul>
 *   <li>first order, Saltelli 2010 (their table 2, b): S_i = mean(f(B) (f(AB_i) - f(A))) / V;
 *   <li>total effect, Jansen 1999: ST_i = mean((f(A) - f(AB_i))^2) / (2V);
 * </ul>
 *
 * <p>V is the variance of f over A and B together. S_i is the share of V that factor i explains alone, ST_i the
 * share it explains with all its interactions; ST_i - S_i is what it does only together with other factors.
 */
public final class Sobol {
  /** A model of k factors, each given as a number in [0, 1) that the model maps to its own distribution. */
  @FunctionalInterface
  public interface Model {
    double evaluate(double[] u);
  }

  /** First-order and total-effect indices per factor, and the output variance they divide. */
  public record Indices(double[] first, double[] total, double variance) {}

  private Sobol() {}

  /**
   * @param a N x k uniform draws in [0, 1)
   * @param b another N x k, independent of {@code a}
   */
  public static Indices estimate(Model f, double[][] a, double[][] b) {
    int n = a.length;
    int k = a[0].length;
    double[] fa = new double[n];
    double[] fb = new double[n];
    double[][] fab = new double[n][k];
    for (int j = 0; j < n; j++) {
      fa[j] = f.evaluate(a[j]);
      fb[j] = f.evaluate(b[j]);
      for (int i = 0; i < k; i++) {
        double[] ab = a[j].clone();
        ab[i] = b[j][i];
        fab[j][i] = f.evaluate(ab);
      }
    }
    return fromEvaluations(fa, fb, fab);
  }

  /**
   * The indices from the model's values on the design: {@code fa[j] = f(A_j)}, {@code fb[j] = f(B_j)},
   * {@code fab[j][i] = f(AB_i,j)} (evaluated anywhere, e.g. on a cluster).
   */
  public static Indices fromEvaluations(double[] fa, double[] fb, double[][] fab) {
    int n = fa.length;
    int k = n == 0 ? 0 : fab[0].length;
    double sum = 0;
    double sumSq = 0;
    for (int j = 0; j < n; j++) {
      sum += fa[j] + fb[j];
      sumSq += fa[j] * fa[j] + fb[j] * fb[j];
    }
    double mean = sum / (2.0 * n);
    double variance = sumSq / (2.0 * n) - mean * mean;
    double[] first = new double[k];
    double[] total = new double[k];
    for (int i = 0; i < k; i++) {
      double s = 0;
      double t = 0;
      for (int j = 0; j < n; j++) {
        s += fb[j] * (fab[j][i] - fa[j]);
        t += (fa[j] - fab[j][i]) * (fa[j] - fab[j][i]);
      }
      first[i] = variance > 0 ? s / n / variance : 0;
      total[i] = variance > 0 ? t / (2.0 * n) / variance : 0;
    }
    return new Indices(first, total, variance);
  }

  /** N x k uniform draws in [0, 1) from a seeded generator: A and B are two calls with different seeds. */
  public static double[][] uniform(int n, int k, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    double[][] out = new double[n][k];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < k; i++) {
        out[j][i] = r.nextDouble();
      }
    }
    return out;
  }
}
