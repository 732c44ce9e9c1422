package dev.scoresde.likelihood;

import dev.scoresde.sampling.ode.OdeOptions;

/**
 * Settings of the probability-flow likelihood (Song et al. 2021, Section 4.3 and Appendix D.2).
 *
 * @param rtol relative tolerance of the Dormand–Prince solver (paper: 1e-5)
 * @param atol absolute tolerance of the solver (paper: 1e-5)
 * @param eps the start time ε of the flow: the likelihood is that of p_ε (reference: 1e-5 for all SDEs)
 * @param estimator how the divergence is evaluated
 * @param probes Hutchinson probes per row, 1..{@value #MAX_PROBES}; ignored by the exact estimator
 * @param maxSteps bound on solver iterations
 */
public record LikelihoodSettings(double rtol, double atol, double eps, DivergenceEstimator estimator, int probes,
    int maxSteps) {

  public static final int MAX_PROBES = 256;

  public LikelihoodSettings {
    if (!(rtol > 0) || !Double.isFinite(rtol) || rtol >= 1) {
      throw new IllegalArgumentException("rtol must be in (0, 1), got " + rtol);
    }
    if (!(atol > 0) || !Double.isFinite(atol)) {
      throw new IllegalArgumentException("atol must be positive and finite, got " + atol);
    }
    if (!(eps > 0) || !(eps < 1)) {
      throw new IllegalArgumentException("eps must be in (0, 1) (the flow starts at ε > 0), got " + eps);
    }
    if (estimator == null) {
      throw new IllegalArgumentException("estimator must be given (rademacher, gaussian or exact)");
    }
    if (probes < 1 || probes > MAX_PROBES) {
      throw new IllegalArgumentException("probes must be in [1, " + MAX_PROBES + "], got " + probes);
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be positive, got " + maxSteps);
    }
  }

  /** The reference's defaults: rtol = atol = eps = 1e-5, one Rademacher probe. */
  public static LikelihoodSettings defaults() {
    return new LikelihoodSettings(1e-5, 1e-5, 1e-5, DivergenceEstimator.RADEMACHER, 1, 10_000);
  }

  public LikelihoodSettings withEstimator(DivergenceEstimator kind, int count) {
    return new LikelihoodSettings(rtol, atol, eps, kind, count, maxSteps);
  }

  public LikelihoodSettings withTolerances(double relative, double absolute) {
    return new LikelihoodSettings(relative, absolute, eps, estimator, probes, maxSteps);
  }

  public LikelihoodSettings withEps(double start) {
    return new LikelihoodSettings(rtol, atol, start, estimator, probes, maxSteps);
  }

  public OdeOptions odeOptions() {
    return new OdeOptions(rtol, atol, maxSteps, 0);
  }
}
