package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Langevin MCMC with a step set by a signal-to-noise ratio r (Song et al. 2021, Algorithms 4 and 5):
 * for each of {@code steps}: g = s(x, t), z ~ N(0, I), ε = 2α (r ‖z‖ / ‖g‖)², x_mean = x + ε g,
 * x = x_mean + sqrt(2ε) z, with α = {@link Sde#langevinAlpha} (1 − β_i for the β-schedule SDEs, also
 * sub-VP, 1 for VE).
 *
 * @param snr the signal-to-noise ratio r (paper: 0.16)
 * @param steps MCMC steps per noise level (paper: 1)
 * @param scope per-row or batch-mean norms; see {@link StepSizeScope}
 */
public record LangevinCorrector(double snr, int steps, StepSizeScope scope) implements Corrector {

  public LangevinCorrector {
    requirePositive(snr, steps);
    if (scope == null) {
      throw new IllegalArgumentException("step size scope must be given");
    }
  }

  static void requirePositive(double snr, int steps) {
    if (!(snr > 0) || !Double.isFinite(snr)) {
      throw new IllegalArgumentException("snr must be a positive number, got " + snr);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("corrector steps must be at least 1, got " + steps);
    }
  }

  @Override
  public State update(ScoreModel score, Sde sde, State state, double t, Rng rng) {
    NDArray x = state.x(); // (batch, ...)
    NDArray mean = state.mean();
    NDArray tt = Times.filled(x, t);
    double alpha = sde.langevinAlpha(t);
    for (int j = 0; j < steps; j++) {
      NDArray g = score.score(x, tt);
      NDArray z = rng.normal(x.getManager(), x.getShape());
      NDArray eps = stepSize(g, z, alpha);
      mean = x.add(g.mul(eps));
      x = mean.add(z.mul(Scalars.mul(eps, 2).sqrt()));
    }
    return new State(x, mean);
  }

  /** ε = 2α r² ‖z‖² / ‖g‖²: (batch, 1, ...) per row, or a scalar () for the batch means. */
  private NDArray stepSize(NDArray g, NDArray z, double alpha) {
    long rows = g.getShape().get(0);
    NDArray g2 = Scalars.maximum(g.square().reshape(rows, -1).sum(new int[] {1}), 1e-30f); // (batch)
    NDArray z2 = z.square().reshape(rows, -1).sum(new int[] {1}); // (batch)
    if (scope == StepSizeScope.PER_ROW) {
      return Scalars.mul(z2.div(g2), 2 * alpha * snr * snr).reshape(Times.rowShape(g));
    }
    NDArray ratio = z2.sqrt().mean().div(g2.sqrt().mean());
    return Scalars.mul(ratio.square(), 2 * alpha * snr * snr);
  }

  @Override
  public int evaluations() {
    return steps;
  }
}
