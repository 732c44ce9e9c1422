package dev.scoresde.sampling;

import dev.scoresde.sde.VpSde;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every predictor × corrector pair under the Vp SDE reproduces the Gaussian mixtures (d = 2 and 16) with
 * the exact score: component weights, mean, covariance and MMD against exact draws ({@link SampleChecks}).
 * SDE: the paper β_min = 0.1, β_max = 20.
 */
class VpSamplersMatchMixtureTest {
  private static final VpSde SDE = VpSde.paper();

  @RegisterExtension
  static final MixtureSamplingCheck CHECK = new MixtureSamplingCheck();

  static Stream<Arguments> pairs() {
    return SamplerCases.pairs(true, false);
  }

  @ParameterizedTest(name = "d={0} {1} + {2}")
  @MethodSource("pairs")
  void pcSamplesMatchTheMixture(int d, PredictorKind p, CorrectorKind c) {
    SampleChecks.Report r = CHECK.run(SamplerCases.pc(p, c, SDE.samplingEps()), SDE, SamplerCases.mixture(d));
    SampleChecks.assertMatches("Vp d=" + d + " " + p.id() + " + " + c.id(), r);
  }
}
