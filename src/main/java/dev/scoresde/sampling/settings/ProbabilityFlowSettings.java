package dev.scoresde.sampling.settings;

import dev.scoresde.sampling.ProbabilityFlowSampler;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.ode.OdeOptions;

/**
 * The probability-flow ODE (Song et al. 2021, Section 4.3) on the adaptive Dormand–Prince solver.
 *
 * @param rtol the solver's relative tolerance (paper: 1e-5)
 * @param atol the solver's absolute tolerance (paper: 1e-5)
 */
public record ProbabilityFlowSettings(double rtol, double atol, Endpoints endpoints) implements SamplerSettings {

  /** Tolerances below float32 resolution cannot be met by the solver. */
  public static final double MIN_TOLERANCE = 1e-7;
  /** The paper's tolerances. */
  public static final double PAPER_TOLERANCE = 1e-5;

  public ProbabilityFlowSettings {
    if (endpoints == null) {
      throw new IllegalArgumentException("endpoints must be given");
    }
    if (!(rtol >= MIN_TOLERANCE) || !(rtol < 1) || !(atol >= MIN_TOLERANCE) || !(atol < 1)) {
      throw new IllegalArgumentException(
          "rtol and atol must be in [" + MIN_TOLERANCE + ", 1), got rtol " + rtol + ", atol " + atol);
    }
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.ODE;
  }

  @Override
  public Sampler toSampler() {
    return new ProbabilityFlowSampler(OdeOptions.of(rtol, atol), endpoints.eps(), endpoints.denoising());
  }
}
