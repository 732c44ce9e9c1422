package dev.scoresde.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProbabilityFlowLikelihoodTest {

  static Stream<Sde> sdes() {
    return Stream.of(VeSde.paper(), VpSde.paper(), SubVpSde.paper());
  }

  @ParameterizedTest
  @MethodSource("sdes")
  void exactDivergenceRecoversMixtureLogDensityIn2d(Sde sde) {
    check(sde, Mixtures.twoD(), 6, LikelihoodSettings.defaults().withEstimator(DivergenceEstimator.EXACT, 1));
  }

  @ParameterizedTest
  @MethodSource("sdes")
  void exactDivergenceRecoversMixtureLogDensityIn16d(Sde sde) {
    check(sde, Mixtures.diagonal(16, 7), 3, LikelihoodSettings.defaults().withEstimator(DivergenceEstimator.EXACT, 1));
  }

  private static void check(Sde sde, GaussianMixture g, int n, LikelihoodSettings settings) {
    try (NDManager m = NDManager.newBaseManager()) {
      GaussianMixtureScore score = new GaussianMixtureScore(g, sde);
      NDArray x = g.sample(m, n, Rng.of(3, n)).x();
      long t0 = System.nanoTime();
      LikelihoodResult r = new ProbabilityFlowLikelihood(sde, score, settings).logLikelihood(x, Rng.of(5, n));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      float[] exact = score.logDensity(x, Times.filled(x, settings.eps())).toFloatArray();
      float[] exactT = score.logDensity(r.latent(), Times.filled(x, sde.endTime())).toFloatArray();
      int d = g.dimension();
      double worst = 0;
      double worstPrior = 0;
      double worstTransport = 0;
      for (int i = 0; i < n; i++) {
        worst = Math.max(worst, Math.abs(r.logLikelihood()[i] - exact[i]) / d);
        worstPrior = Math.max(worstPrior, Math.abs(r.priorLogp()[i] - exactT[i]) / d);
        worstTransport = Math.max(worstTransport, Math.abs(exactT[i] + r.integral()[i] - exact[i]) / d);
      }
      System.out.printf("%s d=%d n=%d: max err %.2e nats/dim, prior mismatch %.2e, transport %.2e, nfe %d, %d ms%n",
          sde.kind(), d, n, worst, worstPrior, worstTransport, r.nfe(), ms);
      assertTrue(worst < 0.01, "error " + worst);
    }
  }
}
