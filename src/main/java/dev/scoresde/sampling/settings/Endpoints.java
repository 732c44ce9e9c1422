package dev.scoresde.sampling.settings;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Where every sampler's reverse-time path starts and stops: at T from x_T = τ·z, z drawn from the prior,
 * down to ε, followed by the final noise removal.
 *
 * @param eps ε, where sampling stops (paper: 1e-5 VE, 1e-3 VP and sub-VP)
 * @param temperature τ in (0, {@value #MAX_TEMPERATURE}]; 1 samples the model
 * @param denoising the final noise removal (reference default: the last step's mean)
 */
public record Endpoints(double eps, double temperature, Denoising denoising) {
  public static final double MAX_TEMPERATURE = 2;

  public Endpoints {
    if (denoising == null) {
      throw new IllegalArgumentException("denoising must be given");
    }
    if (!(eps > 0) || !(eps < 1)) {
      throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
    }
    if (!(temperature > 0) || !(temperature <= MAX_TEMPERATURE)) {
      throw new IllegalArgumentException("temperature must be in (0, " + MAX_TEMPERATURE + "], got " + temperature);
    }
  }

  /** The reference configs: ε = 1e-5 for VE, 1e-3 for VP and sub-VP; τ = 1; the last step's mean. */
  public static Endpoints paper(SdeKind kind) {
    return new Endpoints(kind == SdeKind.VE ? 1e-5 : 1e-3, 1, Denoising.MEAN);
  }

  public Endpoints withEps(double e) {
    return new Endpoints(e, temperature, denoising);
  }

  public Endpoints withTemperature(double tau) {
    return new Endpoints(eps, tau, denoising);
  }

  public Endpoints withDenoising(Denoising d) {
    return new Endpoints(eps, temperature, d);
  }

  /**
   * The start state x_T = τ·z, z drawn from the SDE's prior p_T (Song et al. 2021, Appendix I.1: temperature
   * scaling of the prior). Every caller draws the start through this, whatever the sampler.
   *
   * @param shape (batch, ...), batch = rng's rows
   */
  public NDArray drawPrior(Sde sde, NDManager manager, Shape shape, Rng rng) {
    NDArray z = sde.priorSample(manager, shape, rng);
    if (temperature == 1) {
      return z;
    }
    NDArray scaled = Scalars.mul(z, temperature);
    z.close();
    return scaled;
  }
}
