package dev.scoresde.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.likelihood.ProbabilityFlowCodec;
import dev.scoresde.sampling.ode.OdeSolution;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.Test;

class LatentTemperatureTest {
  static final int N = 300;

  /**
   * For Gaussian data N(μ, diag λ) the flow is affine: decode(z) = α_ε μ + √(c_ε / c_T)(z − α_T μ) with
   * c(t) = α(t)²λ + σ(t)² (see ProbabilityFlowCodecTest), so decoding τ·z, z ~ N(0, I), gives mean
   * α_ε μ − √(c_ε / c_T) α_T μ and variance τ² c_ε / c_T on each axis: the moments are checked to 4 SE.
   */
  @Test
  void temperatureScalesTheDecodedSpreadOfAGaussianExactly() {
    Sde sde = VpSde.paper();
    double[] mu = {1.5, -0.5};
    double[] lambda = {0.4, 1.5};
    GaussianMixture g = GaussianMixture.diagonal(new double[] {1}, new double[][] {mu}, new double[][] {lambda});
    LikelihoodSettings settings = LikelihoodSettings.defaults().withTolerances(1e-4, 1e-4);
    ProbabilityFlowCodec codec = ProbabilityFlowCodec.of(sde, new GaussianMixtureScore(g, sde), settings);
    double eps = settings.eps();
    try (NDManager m = NDManager.newBaseManager()) {
      for (double tau : new double[] {1, 0.5, 0.1}) {
        float[] x = LatentTemperature.sample(codec, sde, m, new Shape(N, 2), Rng.of(3, N), tau).y().toFloatArray();
        for (int i = 0; i < 2; i++) {
          double cE = c(sde, eps, lambda[i]);
          double cT = c(sde, 1, lambda[i]);
          double mean = sde.meanCoefficient(eps) * mu[i] - Math.sqrt(cE / cT) * sde.meanCoefficient(1) * mu[i];
          double var = tau * tau * cE / cT;
          double sm = 0;
          double sv = 0;
          for (int r = 0; r < N; r++) {
            sm += x[2 * r + i] / N;
          }
          for (int r = 0; r < N; r++) {
            sv += (x[2 * r + i] - sm) * (x[2 * r + i] - sm) / (N - 1);
          }
          double zMean = Math.abs(sm - mean) / Math.sqrt(var / N);
          double zVar = Math.abs(sv - var) / (var * Math.sqrt(2.0 / N));
          System.out.printf("τ=%.1f axis %d: mean %.4f (exact %.4f, %.2f SE), var %.4f (exact %.4f, %.2f SE)%n", tau,
              i, sm, mean, zMean, sv, var, zVar);
          assertTrue(zMean <= Stats.Z && zVar <= Stats.Z, "τ=" + tau + " axis " + i);
        }
      }
    }
  }

  private static double c(Sde sde, double t, double lambda) {
    double a = sde.meanCoefficient(t);
    double s = sde.marginalStd(t);
    return a * a * lambda + s * s;
  }

  /**
   * On a mixture a moderate τ &lt; 1 tightens each mode (the mean log-density rises), and τ = 0 decodes every
   * sample to decode(0), one point (which for this mixture lies between the modes: τ → 0 does not approach
   * them, see {@link LatentTemperature}).
   */
  @Test
  void moderateTemperatureTightensTheModesAndZeroDecodesOnePoint() {
    Sde sde = VpSde.paper();
    GaussianMixture g = ControlMixtures.classes();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    LikelihoodSettings settings = LikelihoodSettings.defaults().withTolerances(1e-4, 1e-4);
    ProbabilityFlowCodec codec = ProbabilityFlowCodec.of(sde, oracle, settings);
    try (NDManager m = NDManager.newBaseManager()) {
      double[] logp = new double[2];
      double[] taus = {1, 0.6};
      for (int i = 0; i < 2; i++) {
        OdeSolution s = LatentTemperature.sample(codec, sde, m, new Shape(N, 2), Rng.of(5, N), taus[i]);
        logp[i] = oracle.logDensity(s.y(), m.full(new Shape(N), (float) settings.eps())).mean().getFloat();
        System.out.printf("τ=%.1f: mean log p = %.3f, NFE %d%n", taus[i], logp[i], s.nfe());
      }
      assertTrue(logp[1] > logp[0] + 0.1, "τ = 0.6 should raise the mean log-density: " + logp[1] + " vs " + logp[0]);
      float[] frozen = LatentTemperature.sample(codec, sde, m, new Shape(4, 2), Rng.of(6, 4), 0).y().toFloatArray();
      for (int r = 1; r < 4; r++) {
        assertArrayEquals(new float[] {frozen[0], frozen[1]}, new float[] {frozen[2 * r], frozen[2 * r + 1]}, 0f);
      }
      System.out.printf("τ=0 decodes to (%.3f, %.3f)%n", frozen[0], frozen[1]);
    }
  }

  @Test
  void scaleMultipliesAndRejectsBadTemperatures() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z = m.create(new float[] {1, -2, 4}, new Shape(1, 3));
      assertArrayEquals(new float[] {0.5f, -1, 2}, LatentTemperature.scale(z, 0.5).toFloatArray(), 0f);
      for (double bad : new double[] {-0.1, Double.NaN, 11}) {
        LatentInterpolationTest.assertMessage("temperature must be in [0, 10]", () -> LatentTemperature.scale(z, bad));
      }
    }
  }
}
