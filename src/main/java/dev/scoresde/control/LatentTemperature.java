package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.likelihood.ProbabilityFlowCodec;
import dev.scoresde.sampling.ode.OdeSolution;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Temperature in the probability-flow latent space (Song et al. 2021, Section 4.3 "manipulating latent
 * representations"; Kingma &amp; Dhariwal 2018 for Glow): decode τ·z instead of z, z ~ p_T. τ = 1 is plain
 * ODE sampling. For Gaussian data under VP the decoded covariance is about τ²Σ around the mean, so τ &lt; 1
 * concentrates samples at the mode and τ &gt; 1 spreads them. For multimodal data a moderate τ &lt; 1 tightens
 * each mode, but as τ → 0 every sample goes to decode(0), one point that may lie between modes.
 */
public final class LatentTemperature {
  /** The largest temperature accepted. */
  public static final double MAX_TEMPERATURE = 10;

  private LatentTemperature() {}

  /** z → τ·z. z (batch, ...), in z's manager. */
  public static NDArray scale(NDArray z, double tau) {
    check(tau);
    return Scalars.mul(z, tau);
  }

  /**
   * Draws z ~ p_T of {@code sde} with {@code rng}, scales it by τ and decodes it with the codec.
   *
   * @param shape (batch, ...), batch = rng rows
   * @return the decoded samples (batch, ...) in {@code manager}, with the decoder's NFE
   */
  public static OdeSolution sample(ProbabilityFlowCodec codec, Sde sde, NDManager manager, Shape shape, Rng rng,
      double tau) {
    check(tau);
    try (NDManager scope = manager.newSubManager()) {
      NDArray z = Scalars.mul(sde.priorSample(scope, shape, rng), tau);
      OdeSolution out = codec.decode(z);
      out.y().attach(manager);
      return out;
    }
  }

  private static void check(double tau) {
    if (!(tau >= 0) || !(tau <= MAX_TEMPERATURE)) {
      throw new IllegalArgumentException("temperature must be in [0, " + (int) MAX_TEMPERATURE + "], got " + tau);
    }
  }
}
