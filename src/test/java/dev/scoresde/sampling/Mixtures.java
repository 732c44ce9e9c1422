package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Rng;

/** The test data distributions, and exact draws of their perturbed marginals p_t. */
public final class Mixtures {
  private Mixtures() {}

  /** d = 2: three components of unequal weight, one with a correlated covariance; scale ~3. */
  public static GaussianMixture plane() {
    double[][][] cov = {
      {{0.5, 0.3}, {0.3, 0.4}},
      {{0.3, 0}, {0, 0.3}},
      {{0.2, 0}, {0, 0.5}}
    };
    return GaussianMixture.of(new double[] {0.5, 0.3, 0.2}, new double[][] {{-2, 0}, {2, 1}, {0.5, -2.5}}, cov);
  }

  /** d = 16: three diagonal components with structured means (steps, alternation) and unequal variances. */
  static GaussianMixture sixteen() {
    int d = 16;
    double[][] means = new double[3][d];
    double[][] vars = new double[3][d];
    for (int i = 0; i < d; i++) {
      means[0][i] = i < d / 2 ? 1.5 : -1.5;
      means[1][i] = i % 2 == 0 ? 1.5 : -1.5;
      means[2][i] = -1.0;
      vars[0][i] = 0.3 + 0.4 * i / (d - 1);
      vars[1][i] = 0.5;
      vars[2][i] = 0.8 - 0.5 * i / (d - 1);
    }
    return GaussianMixture.diagonal(new double[] {0.45, 0.35, 0.2}, means, vars);
  }

  /** n exact draws from p_t: x(t) = α(t) x(0) + σ(t) z with x(0) from the mixture. (n, d) */
  static NDArray marginal(NDManager m, GaussianMixture g, Sde sde, double t, int n, long seed) {
    Rng rng = Rng.of(seed, n);
    NDArray x0 = g.sample(m, n, rng).x();
    NDArray out = sde.perturb(x0, Times.filled(x0, t), rng);
    x0.close();
    return out;
  }

  /** n exact draws from the data distribution p_0, (n, d). */
  static NDArray data(NDManager m, GaussianMixture g, int n, long seed) {
    return g.sample(m, n, Rng.of(seed, n)).x();
  }
}
