package dev.scoresde.sampling.fast;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Scalars;

/**
 * The data prediction x̂₀(x, t) = (x + σ(t)² s(x, t)) / α(t) (Tweedie's formula; Lu et al. 2022b, Eq. 5 with
 * ε̂ = −σ s) through a score model whose evaluations it counts: a fast solver's exact NFE.
 */
final class Denoiser {
  private final ScoreModel model;
  private final Sde sde;
  private int count;

  Denoiser(ScoreModel model, Sde sde) {
    this.model = model;
    this.sde = sde;
  }

  /** x̂₀ for every row at time t; x (batch, ...) → (batch, ...). */
  NDArray predict(NDArray x, double t) {
    double sigma = sde.marginalStd(t);
    NDArray s = counted().score(x, Times.filled(x, t));
    return Scalars.div(x.add(Scalars.mul(s, sigma * sigma)), sde.meanCoefficient(t));
  }

  /** The score model itself, counted (for the final denoising step). */
  ScoreModel counted() {
    return (x, t) -> {
      count++;
      return model.score(x, t);
    };
  }

  int count() {
    return count;
  }
}
