package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.names.Names;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Scalars;
import java.util.Locale;

/** The final noise removal of a sampler. */
public enum Denoising {
  /** Return the last state x as it is. */
  NONE,
  /**
   * Return the last step without its fresh noise: the reference code's {@code denoise} (PC: the last
   * update's x_mean; ODE: one reverse-diffusion step at ε without noise, one extra evaluation).
   */
  MEAN,
  /**
   * Tweedie's formula at ε: x̂₀ = E[x(0) | x(ε)] = (x + σ(ε)² s(x, ε)) / α(ε), one extra evaluation.
   */
  TWEEDIE;

  /** The command lines' name: none, mean or tweedie. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** By its name, case-insensitive. */
  public static Denoising parse(String name) {
    try {
      return valueOf(Names.normalize(name).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown denoising '" + name + "' (expected none, mean or tweedie)");
    }
  }

  /** (x + σ(t)² s(x, t)) / α(t), the posterior mean of x(0) given x(t) = x; x (batch, ...). */
  public static NDArray tweedie(ScoreModel score, Sde sde, NDArray x, double t) {
    double sigma = sde.marginalStd(t);
    NDArray s = score.score(x, Times.filled(x, t));
    return Scalars.div(x.add(Scalars.mul(s, sigma * sigma)), sde.meanCoefficient(t));
  }
}
