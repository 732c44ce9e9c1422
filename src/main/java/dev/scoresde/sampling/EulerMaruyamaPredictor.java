package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Euler–Maruyama on the reverse-time SDE dx = [f(x, t) − g(t)² s(x, t)] dt + g(t) dw̄ (Eq. 6) with the
 * step dt = tNext − t &lt; 0 taken from the time grid:
 * x_mean = x + [f(t) x − g(t)² s] dt, x' = x_mean + g(t) sqrt(−dt) z.
 */
public record EulerMaruyamaPredictor() implements Predictor {

  @Override
  public State update(ScoreModel score, Sde sde, State state, double t, double tNext, Rng rng) {
    NDArray x = state.x(); // (batch, ...)
    double dt = tNext - t;
    if (!(dt < 0)) {
      throw new IllegalArgumentException("Euler–Maruyama needs tNext < t, got " + t + " → " + tNext);
    }
    double g = sde.diffusion(t);
    NDArray s = score.score(x, Times.filled(x, t));
    NDArray mean = Scalars.mul(x, 1 + sde.driftCoefficient(t) * dt).add(Scalars.mul(s, -g * g * dt));
    NDArray z = rng.normal(x.getManager(), x.getShape());
    return new State(mean.add(Scalars.mul(z, g * Math.sqrt(-dt))), mean);
  }
}
