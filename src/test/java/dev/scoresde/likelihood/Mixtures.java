package dev.scoresde.likelihood;

import dev.scoresde.score.GaussianMixture;
import java.util.SplittableRandom;

/** Test data distributions with exact log-densities under every SDE (through GaussianMixtureScore). */
final class Mixtures {
  private Mixtures() {}

  /**
   * A 2-D mixture with rotated covariances, data scale ~1.5–2, overall mean 0 (so the VE prior mismatch has
   * no first-order term: see ProbabilityFlowLikelihoodTest).
   */
  static GaussianMixture twoD() {
    double[][][] cov = {
      {{0.5, 0.2}, {0.2, 0.3}},
      {{0.4, -0.1}, {-0.1, 0.6}}
    };
    return GaussianMixture.of(new double[] {0.4, 0.6}, new double[][] {{-1.5, 1}, {1, -2 / 3d}}, cov);
  }

  /** A d-dimensional mixture of three diagonal Gaussians, means of scale ~1, variances in [0.2, 1]. */
  static GaussianMixture diagonal(int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] means = new double[3][d];
    double[][] vars = new double[3][d];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < d; i++) {
        means[k][i] = r.nextDouble(-1.5, 1.5);
        vars[k][i] = r.nextDouble(0.2, 1.0);
      }
    }
    return GaussianMixture.diagonal(new double[] {0.3, 0.3, 0.4}, means, vars);
  }
}
