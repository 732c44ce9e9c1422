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
 * Heun's second-order method on the σ-parameterised probability-flow ODE of Karras et al. 2022 ("EDM"):
 * with the scaled state x̃ = x/α and noise level σ̃ = σ/α (VE: x̃ = x, σ̃ = σ; VP: σ̃ = √(1−ᾱ)/√ᾱ),
 * dx̃/dσ̃ = (x̃ − x̂₀)/σ̃ (their Eq. 3 with D = x̂₀), stepped by Algorithm 1 (deterministic) or, with
 * {@code churn} S_churn > 0, Algorithm 2: before each step the noise is raised from σ̃_i to
 * σ̂ = σ̃_i(1 + γ), γ = min(S_churn/steps, √2 − 1), by adding √(σ̂² − σ̃_i²) z (capped so that σ̂ stays at or
 * below σ̃(T), where the model is defined). Two evaluations per step: NFE = 2·steps (+ 1 for TWEEDIE, which
 * is the algorithm's final Euler step to σ = 0; EDM's 35 NFE = 17 steps + TWEEDIE).
 *
 * @param steps solver steps (grid intervals)
 * @param grid where the steps go (EDM: {@link TimeGridKind#KARRAS})
 * @param eps ε, the last time
 * @param denoising final noise removal at ε
 * @param churn S_churn ≥ 0 (0: deterministic)
 */
public record Heun(int steps, TimeGridKind grid, double eps, Denoising denoising, double churn)
    implements GridSolver {

  public Heun {
    GridWalk.requireSettings(steps, grid, denoising);
    if (!(churn >= 0) || !Double.isFinite(churn)) {
      throw new IllegalArgumentException("churn must be a finite number ≥ 0, got " + churn);
    }
  }

  @Override
  public SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx, TimeGrid times) {
    NoiseLevels levels = new NoiseLevels(sde);
    Denoiser denoiser = new Denoiser(model, sde);
    int n = times.size() - 1;
    double gamma = churn > 0 ? Math.min(churn / n, Math.sqrt(2) - 1) : 0;
    double sigmaTop = levels.sigmaTilde(times.get(0));
    return GridWalk.walk(xT, ctx, sde, times, denoiser, denoising, (xs, s, t) -> {
      double sigmaS = levels.sigmaTilde(s);
      double sigmaHat = Math.min(sigmaS * (1 + gamma), Math.max(sigmaTop, sigmaS));
      double sHat = sigmaHat > sigmaS ? levels.timeOfSigmaTilde(sigmaHat) : s;
      double sigmaT = levels.sigmaTilde(t);
      NDArray scaled = Scalars.div(xs, levels.alpha(s)); // x̃ at σ̃_i
      if (sigmaHat > sigmaS) {
        NDArray z = ctx.rng().normal(xs.getManager(), xs.getShape());
        scaled = scaled.add(Scalars.mul(z, Math.sqrt(sigmaHat * sigmaHat - sigmaS * sigmaS)));
      }
      NDArray d = slope(denoiser, levels, scaled, sHat, sigmaHat);
      NDArray euler = scaled.add(Scalars.mul(d, sigmaT - sigmaHat));
      NDArray dNext = slope(denoiser, levels, euler, t, sigmaT);
      NDArray heun = scaled.add(Scalars.mul(d.add(dNext), 0.5 * (sigmaT - sigmaHat)));
      return Scalars.mul(heun, levels.alpha(t));
    });
  }

  /** dx̃/dσ̃ = (x̃ − x̂₀(α x̃, t))/σ̃ at time t; scaled (batch, ...). */
  private static NDArray slope(Denoiser denoiser, NoiseLevels levels, NDArray scaled, double t, double sigmaTilde) {
    NDArray x0 = denoiser.predict(Scalars.mul(scaled, levels.alpha(t)), t);
    return Scalars.div(scaled.sub(x0), sigmaTilde);
  }
}
