package dev.scoresde.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GaussianMixtureScoreTest {

  /** A 3-D mixture with a rotated full covariance, so the eigen-path is exercised. */
  static GaussianMixture mixture() {
    double[][][] cov = {
      {{1.0, 0.6, 0.2}, {0.6, 2.0, -0.3}, {0.2, -0.3, 0.5}},
      {{0.3, 0, 0}, {0, 0.2, 0}, {0, 0, 0.4}}
    };
    return GaussianMixture.of(new double[] {0.3, 0.7}, new double[][] {{1, -1, 0.5}, {-2, 0.5, 1}}, cov);
  }

  /** Direct evaluation in double: log Σ_k π_k N(x; α μ_k, α² Σ_k + σ² I) through an explicit inverse. */
  static double naiveLogDensity(GaussianMixture g, double[] x, double a, double s) {
    int d = x.length;
    double total = 0;
    for (int k = 0; k < g.components(); k++) {
      double[][] c = g.covariance(k);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          c[i][j] = a * a * c[i][j] + (i == j ? s * s : 0);
        }
      }
      double[][] inv = invert3(c);
      double det = det3(c);
      double q = 0;
      double[] mu = g.mean(k);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          q += (x[i] - a * mu[i]) * inv[i][j] * (x[j] - a * mu[j]);
        }
      }
      total += g.weight(k) * Math.exp(-0.5 * q) / Math.sqrt(Math.pow(2 * Math.PI, d) * det);
    }
    return Math.log(total);
  }

  static double det3(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  static double[][] invert3(double[][] m) {
    double det = det3(m);
    double[][] r = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
        r[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
      }
    }
    return r;
  }

  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void logDensityMatchesDirectEvaluationAndScoreIsItsGradient(Sde sde) {
    GaussianMixture g = mixture();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    try (NDManager m = NDManager.newBaseManager()) {
      double[] times = {0.01, 0.2, 0.5, 0.9};
      for (double t : times) {
        NDArray x = Rng.of(7, 5).normal(m, new Shape(5, 3)).mul(1.5);
        NDArray tt = m.full(new Shape(5), (float) t);
        float[] logp = oracle.logDensity(x, tt).toFloatArray();
        float[] score = oracle.score(x, tt).toFloatArray();
        float[] xs = x.toFloatArray();
        double a = sde.meanCoefficient(t), s = sde.marginalStd(t);
        for (int r = 0; r < 5; r++) {
          double[] row = {xs[3 * r], xs[3 * r + 1], xs[3 * r + 2]};
          double exact = naiveLogDensity(g, row, a, s);
          assertEquals(exact, logp[r], 1e-3 * (1 + Math.abs(exact)), "log p_t at t=" + t);
          for (int i = 0; i < 3; i++) {
            double h = 1e-4;
            double[] up = row.clone(), dn = row.clone();
            up[i] += h;
            dn[i] -= h;
            double fd = (naiveLogDensity(g, up, a, s) - naiveLogDensity(g, dn, a, s)) / (2 * h);
            assertEquals(fd, score[3 * r + i], 2e-3 * (1 + Math.abs(fd)), "score at t=" + t);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void posteriorIsBayesRuleOverComponentDensities(Sde sde) {
    GaussianMixture g = mixture();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    try (NDManager m = NDManager.newBaseManager()) {
      double t = 0.3;
      NDArray x = Rng.of(3, 4).normal(m, new Shape(4, 3));
      NDArray tt = m.full(new Shape(4), (float) t);
      float[] post = oracle.posterior(x, tt).toFloatArray();
      float[] xs = x.toFloatArray();
      double a = sde.meanCoefficient(t), s = sde.marginalStd(t);
      for (int r = 0; r < 4; r++) {
        double[] row = {xs[3 * r], xs[3 * r + 1], xs[3 * r + 2]};
        double total = naiveLogDensity(g, row, a, s);
        for (int k = 0; k < 2; k++) {
          double lk = Math.log(g.weight(k)) + naiveLogDensity(g.component(k), row, a, s);
          assertEquals(Math.exp(lk - total), post[2 * r + k], 1e-4);
        }
      }
    }
  }
}
