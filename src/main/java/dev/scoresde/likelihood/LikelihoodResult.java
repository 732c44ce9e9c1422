package dev.scoresde.likelihood;

import ai.djl.ndarray.NDArray;

/**
 * The probability-flow log-likelihood of each row: log p_ε(x) = log p_T(z) + ∫_ε^T ∇·f̃(x(t), t) dt
 * (Song et al. 2021, Eq. 39), in nats.
 *
 * @param logLikelihood log p_ε(x) per row: {@code priorLogp + integral}, (batch)
 * @param priorLogp log p_T(z) of the Gaussian prior at the latent, (batch)
 * @param integral ∫_ε^T ∇·f̃ dt per row, averaged over the probes, (batch)
 * @param probeLogLikelihood the log-likelihood from each probe's divergence alone, (batch, K); one column for
 *     the exact estimator
 * @param standardError the standard error of {@code logLikelihood} over the K probes, s/√K with the
 *     sample standard deviation s; 0 for the exact estimator and NaN for a single probe, (batch)
 * @param latent z = x(T), (batch, ...), owned by the input's manager (the caller closes it)
 * @param dimension D, the number of values in one row
 * @param nfe right-hand-side evaluations of the solver (each a forward and a backward pass on the batch)
 */
public record LikelihoodResult(double[] logLikelihood, double[] priorLogp, double[] integral,
    double[][] probeLogLikelihood, double[] standardError, NDArray latent, long dimension, int nfe) {

  /** log p per dimension, in nats, for each row. */
  public double[] logLikelihoodPerDimension() {
    double[] out = new double[logLikelihood.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = logLikelihood[i] / dimension;
    }
    return out;
  }
}
