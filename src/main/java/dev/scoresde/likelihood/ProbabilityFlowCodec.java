package dev.scoresde.likelihood;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sampling.ode.DormandPrince;
import dev.scoresde.sampling.ode.OdeFunction;
import dev.scoresde.sampling.ode.OdeListener;
import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.sampling.ode.OdeSolution;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.ReverseSde;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Scopes;

/**
 * Uniquely identifiable encoding (Song et al. 2021, Section 4.3): the probability-flow ODE
 * dx/dt = f(x, t) − ½ g(t)² ∇ₓ log p_t(x) (Eq. 13) is deterministic, so integrating it from ε to T maps a
 * data point to one latent, and integrating back from T to ε decodes it. No randomness; rows are
 * independent (per-row adaptive steps).
 */
public final class ProbabilityFlowCodec {
  private final Sde sde;
  private final ReverseSde flow;
  private final OdeOptions options;
  private final double eps;

  public ProbabilityFlowCodec(Sde sde, ScoreModel score, OdeOptions options, double eps) {
    if (!(eps > 0) || !(eps < sde.endTime())) {
      throw new IllegalArgumentException("eps must be in (0, " + sde.endTime() + "), got " + eps);
    }
    this.sde = sde;
    this.flow = sde.reverse(score, true);
    this.options = options;
    this.eps = eps;
  }

  /** The codec with a likelihood's tolerances and ε (its estimator is irrelevant here). */
  public static ProbabilityFlowCodec of(Sde sde, ScoreModel score, LikelihoodSettings settings) {
    return new ProbabilityFlowCodec(sde, score, settings.odeOptions(), settings.eps());
  }

  /**
   * x(ε) → z = x(T).
   *
   * @param x data in the model's value range, (batch, ...); not closed
   * @return the latent (batch, ...) in x's manager, with the solver's NFE
   */
  public OdeSolution encode(NDArray x, OdeListener listener) {
    return new DormandPrince(options).solve(rhs(), x, eps, sde.endTime(), listener);
  }

  public OdeSolution encode(NDArray x) {
    return encode(x, OdeListener.NONE);
  }

  /**
   * z = x(T) → x(ε).
   *
   * @param z latents, (batch, ...); not closed
   * @return the data (batch, ...) in z's manager, with the solver's NFE
   */
  public OdeSolution decode(NDArray z, OdeListener listener) {
    return new DormandPrince(options).solve(rhs(), z, sde.endTime(), eps, listener);
  }

  public OdeSolution decode(NDArray z) {
    return decode(z, OdeListener.NONE);
  }

  private OdeFunction rhs() {
    return (t, y) -> Scopes.step(y, yy -> flow.drift(yy, t));
  }
}
