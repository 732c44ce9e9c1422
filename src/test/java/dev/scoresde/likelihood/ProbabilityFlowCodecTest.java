package dev.scoresde.likelihood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sampling.ode.OdeSolution;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProbabilityFlowCodecTest {

  /**
   * For Gaussian data N(μ, diag λ) the flow is affine: along each axis x(t) − α(t)μ scales with the marginal
   * std √c(t), c(t) = α(t)²λ + σ(t)² (because c' = 2f c + g², so d√c/dt / √c = f + g²/(2c), exactly the
   * flow's rate f + ½g²/c). So encode must give z = α_T μ + √(c_T/c_ε)·(x − α_ε μ).
   */
  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void encodeOfAGaussianIsTheAffineMapBetweenMarginals(Sde sde) {
    double[] mu = {1.5, -0.5, 0.2, 2};
    double[] lambda = {0.3, 1.2, 0.05, 0.6};
    GaussianMixture g = GaussianMixture.diagonal(new double[] {1}, new double[][] {mu}, new double[][] {lambda});
    double eps = 1e-5;
    ProbabilityFlowCodec codec = ProbabilityFlowCodec.of(sde, new GaussianMixtureScore(g, sde),
        LikelihoodSettings.defaults().withEps(eps));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = g.sample(m, 4, Rng.of(3, 4)).x();
      float[] in = x.toFloatArray();
      float[] z = codec.encode(x).y().toFloatArray();
      double t = sde.endTime();
      for (int r = 0; r < 4; r++) {
        for (int i = 0; i < 4; i++) {
          double cEps = c(sde, eps, lambda[i]);
          double cT = c(sde, t, lambda[i]);
          double expected = sde.meanCoefficient(t) * mu[i]
              + Math.sqrt(cT / cEps) * (in[r * 4 + i] - sde.meanCoefficient(eps) * mu[i]);
          assertEquals(expected, z[r * 4 + i], 1e-3 * Math.sqrt(cT), sde.kind() + " row " + r + " axis " + i);
        }
      }
    }
  }

  private static double c(Sde sde, double t, double lambda) {
    double a = sde.meanCoefficient(t);
    double s = sde.marginalStd(t);
    return a * a * lambda + s * s;
  }

  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void decodeInvertsEncode(Sde sde) {
    GaussianMixture g = Mixtures.twoD();
    ProbabilityFlowCodec codec = ProbabilityFlowCodec.of(sde, new GaussianMixtureScore(g, sde),
        LikelihoodSettings.defaults());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = g.sample(m, 6, Rng.of(4, 6)).x();
      OdeSolution z = codec.encode(x);
      float[] back = codec.decode(z.y()).y().toFloatArray();
      float[] in = x.toFloatArray();
      double worst = 0;
      for (int r = 0; r < 6; r++) {
        double err = Math.hypot(back[2 * r] - in[2 * r], back[2 * r + 1] - in[2 * r + 1]);
        worst = Math.max(worst, err / Math.hypot(in[2 * r], in[2 * r + 1]));
      }
      System.out.printf("%s round trip: worst relative error %.2e, encode nfe %d%n", sde.kind(), worst, z.nfe());
      assertTrue(worst < 1e-3, "relative round-trip error " + worst);
    }
  }

  /**
   * Identifiable: encoding the same data twice gives bit-identical latents, a row's latent does not depend on
   * its batch, and the likelihood's latent (same flow, solved with the extra divergence channels) agrees.
   */
  @Test
  void encodingIsDeterministicPerRowAndMatchesTheLikelihoodLatent() {
    Sde sde = VeSde.paper();
    GaussianMixture g = Mixtures.twoD();
    GaussianMixtureScore score = new GaussianMixtureScore(g, sde);
    LikelihoodSettings settings = LikelihoodSettings.defaults().withEstimator(DivergenceEstimator.EXACT, 1);
    ProbabilityFlowCodec codec = ProbabilityFlowCodec.of(sde, score, settings);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = g.sample(m, 3, Rng.of(5, 3)).x();
      float[] first = codec.encode(x).y().toFloatArray();
      assertArrayEquals(first, codec.encode(x).y().toFloatArray(), 0f);
      for (int r = 0; r < 3; r++) {
        float[] alone = codec.encode(x.get(r + ":" + (r + 1))).y().toFloatArray();
        assertArrayEquals(new float[] {first[2 * r], first[2 * r + 1]}, alone, 1e-4f, "row " + r);
      }
      float[] latent = new ProbabilityFlowLikelihood(sde, score, settings).logLikelihood(x, null).latent()
          .toFloatArray();
      for (int i = 0; i < first.length; i++) {
        assertEquals(first[i], latent[i], 1e-3 * Math.abs(first[i]) + 1e-3, "component " + i);
      }
    }
  }
}
