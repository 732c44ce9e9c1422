package dev.scoresde.sampling.fast;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Scalars;

/**
 * DDIM (Song, Meng, Ermon 2021, Eq. 12) written with α(t), σ(t) of any of the paper's SDEs: from s to t,
 * x_t = α_t x̂₀ + √(σ_t² − σ_η²) ε̂ + σ_η z with ε̂ = (x_s − α_s x̂₀)/σ_s and
 * σ_η = η σ_t √(1 − e^{−2h}), h = λ_t − λ_s (their Eq. 16: the posterior std of q(x_t | x_s, x₀) times η).
 * η = 0 is the deterministic DDIM, the first-order DPM-Solver++ (the exponential integrator with x̂₀ held
 * constant); η = 1 is ancestral sampling on the grid. One evaluation per step: NFE = steps (+ 1 for
 * TWEEDIE or MEAN denoising).
 *
 * @param steps solver steps (grid intervals)
 * @param grid where the steps go
 * @param eps ε, the last time
 * @param denoising final noise removal at ε
 * @param eta η in [0, 1]
 */
public record Ddim(int steps, TimeGridKind grid, double eps, Denoising denoising, double eta)
    implements GridSolver {

  public Ddim {
    GridWalk.requireSettings(steps, grid, denoising);
    if (!(eta >= 0) || !(eta <= 1)) {
      throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
    }
  }

  @Override
  public SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx, TimeGrid times) {
    NoiseLevels levels = new NoiseLevels(sde);
    Denoiser denoiser = new Denoiser(model, sde);
    return GridWalk.walk(xT, ctx, sde, times, denoiser, denoising, (xs, s, t) -> {
      double h = levels.lambda(t) - levels.lambda(s);
      double sigmaT = levels.sigma(t);
      double noise = eta * sigmaT * Math.sqrt(-Math.expm1(-2 * h));
      double toEps = Math.sqrt(Math.max(0, sigmaT * sigmaT - noise * noise)) / levels.sigma(s);
      double toX0 = levels.alpha(t) - toEps * levels.alpha(s);
      NDArray x0 = denoiser.predict(xs, s);
      NDArray out = Scalars.mul(xs, toEps).add(Scalars.mul(x0, toX0));
      if (noise > 0) {
        out = out.add(Scalars.mul(ctx.rng().normal(xs.getManager(), xs.getShape()), noise));
      }
      return out;
    });
  }
}
