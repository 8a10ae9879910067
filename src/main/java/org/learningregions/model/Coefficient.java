package org.learningregions.model;

/**
 * One estimated coefficient with its uncertainty.
 *
 * @param seType classical, HC1, cluster:&lt;column&gt;[+&lt;column&gt;] or driscoll-kraay:&lt;time&gt;:L=&lt;lag&gt;
 * @param seConvention the small-sample correction and the t degrees of freedom, in words and formula
 * @param df degrees of freedom of the t distribution used for p and CI
 * @param pValueWcr wild cluster restricted bootstrap p-value of H0: coefficient = 0, or null when not bootstrapped
 * @param ciWcrLow lower end of the 95% interval by inverting the bootstrap test, or null
 * @param ciWcrHigh upper end of that interval, or null
 * @param bootstrap how the bootstrap was drawn ({@code wcr:rademacher:enumerated:1024},
 *     {@code wcr:webb:sampled:9999:seed=...}), or null
 */
public record Coefficient(String term, double estimate, double stdError, double tValue, double pValue, double ciLow,
    double ciHigh, String seType, String seConvention, double df, Double pValueWcr, Double ciWcrLow, Double ciWcrHigh,
    String bootstrap) {

  /** A coefficient without bootstrap inference. */
  public Coefficient(String term, double estimate, double stdError, double tValue, double pValue, double ciLow,
      double ciHigh, String seType, String seConvention, double df) {
    this(term, estimate, stdError, tValue, pValue, ciLow, ciHigh, seType, seConvention, df, null, null, null, null);
  }

  /** The same coefficient with a bootstrap p-value and interval. */
  public Coefficient withBootstrap(double p, double low, double high, String how) {
    return new Coefficient(term, estimate, stdError, tValue, pValue, ciLow, ciHigh, seType, seConvention, df, p, low,
        high, how);
  }
}
