package dev.scoresde.report;

import dev.scoresde.score.GaussianMixture;

/** The analytic mixtures of the solver benchmark. */
final class BenchMixtures {
  private BenchMixtures() {}

  /**
   * d = 64, three components with structured full covariances: an AR(1) Toeplitz covariance
   * 0.5·0.8^|i−j| (long-range correlation), a spiked 0.15 I + 0.6 c cᵀ + 0.3 s sᵀ with smooth
   * c_i = cos(2πi/d), s_i = sin(4πi/d) (two directions carry most of the variance), and 8 × 8 blocks with
   * correlation 0.6 and variance 0.4;
   * means: half +1.5 / half −1.5, alternating ±1.5, and a constant −1.
   */
  static GaussianMixture structured64() {
    int d = 64;
    double[][] means = new double[3][d];
    double[][][] cov = new double[3][d][d];
    double[] c = new double[d];
    double[] s = new double[d];
    for (int i = 0; i < d; i++) {
      c[i] = Math.cos(2 * Math.PI * i / d);
      s[i] = Math.sin(4 * Math.PI * i / d);
    }
    for (int i = 0; i < d; i++) {
      means[0][i] = i < d / 2 ? 1.5 : -1.5;
      means[1][i] = i % 2 == 0 ? 1.5 : -1.5;
      means[2][i] = -1;
      for (int j = 0; j < d; j++) {
        cov[0][i][j] = 0.5 * Math.pow(0.8, Math.abs(i - j));
        cov[1][i][j] = (i == j ? 0.15 : 0) + 0.6 * c[i] * c[j] + 0.3 * s[i] * s[j];
        cov[2][i][j] = i == j ? 0.4 : i / 8 == j / 8 ? 0.6 * 0.4 : 0;
      }
    }
    return GaussianMixture.of(new double[] {0.45, 0.35, 0.2}, means, cov);
  }
}
