package org.learningregions.model;

/**
 * One estimated coefficient with its uncertainty.
 *
 * @param seType classical, HC1 or cluster:&lt;column&gt;
 * @param seConvention the small-sample correction and the t degrees of freedom, in words and formula
 * @param df degrees of freedom of the t distribution used for p and CI
 */
public record Coefficient(String term, double estimate, double stdError, double tValue, double pValue, double ciLow,
    double ciHigh, String seType, String seConvention, double df) {}
