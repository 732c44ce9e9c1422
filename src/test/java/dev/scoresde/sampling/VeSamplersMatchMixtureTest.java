package dev.scoresde.sampling;

import dev.scoresde.sde.VeSde;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every predictor × corrector pair under the Ve SDE reproduces the Gaussian mixtures (d = 2 and 16) with
 * the exact score: component weights, mean, covariance and MMD against exact draws ({@link SampleChecks}).
 * SDE: σ_max = 20 is over three times the data diameter (≈ 6), so p_T is nearly the prior; σ_min = 0.01.
 */
class VeSamplersMatchMixtureTest {
  private static final VeSde SDE = new VeSde(0.01, 20, 1000);

  @RegisterExtension
  static final MixtureSamplingCheck CHECK = new MixtureSamplingCheck();

  static Stream<Arguments> pairs() {
    return SamplerCases.pairs(true, true);
  }

  @ParameterizedTest(name = "d={0} {1} + {2}")
  @MethodSource("pairs")
  void pcSamplesMatchTheMixture(int d, PredictorKind p, CorrectorKind c) {
    SampleChecks.Report r = CHECK.run(SamplerCases.pc(p, c, SDE.samplingEps()), SDE, SamplerCases.mixture(d));
    SampleChecks.assertMatches("Ve d=" + d + " " + p.id() + " + " + c.id(), r);
  }
}
