package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Annealed Langevin dynamics of NCSN (Song &amp; Ermon 2019) as a corrector: the step follows the noise level,
 * ε = 2α (r σ(t))², with α = {@link Sde#langevinAlpha}; then x_mean = x + ε s(x, t),
 * x = x_mean + sqrt(2ε) z, {@code steps} times. Rows never interact.
 *
 * @param snr the ratio r
 * @param steps MCMC steps per noise level
 */
public record AnnealedLangevinCorrector(double snr, int steps) implements Corrector {

  public AnnealedLangevinCorrector {
    LangevinCorrector.requirePositive(snr, steps);
  }

  @Override
  public State update(ScoreModel score, Sde sde, State state, double t, Rng rng) {
    NDArray x = state.x(); // (batch, ...)
    NDArray mean = state.mean();
    NDArray tt = Times.filled(x, t);
    double sigma = sde.marginalStd(t);
    double eps = 2 * sde.langevinAlpha(t) * (snr * sigma) * (snr * sigma);
    double noise = Math.sqrt(2 * eps);
    for (int j = 0; j < steps; j++) {
      NDArray g = score.score(x, tt);
      NDArray z = rng.normal(x.getManager(), x.getShape());
      mean = x.add(Scalars.mul(g, eps));
      x = mean.add(Scalars.mul(z, noise));
    }
    return new State(x, mean);
  }

  @Override
  public int evaluations() {
    return steps;
  }
}
