package dev.scoresde.sampling;

import dev.scoresde.sde.SubVpSde;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every predictor × corrector pair under the SubVp SDE reproduces the Gaussian mixtures (d = 2 and 16) with
 * the exact score: component weights, mean, covariance and MMD against exact draws ({@link SampleChecks}).
 * SDE: the paper β schedule; no ancestral sampling (undefined for sub-VP).
 */
class SubVpSamplersMatchMixtureTest {
  private static final SubVpSde SDE = SubVpSde.paper();

  @RegisterExtension
  static final MixtureSamplingCheck CHECK = new MixtureSamplingCheck();

  static Stream<Arguments> pairs() {
    return SamplerCases.pairs(false, false);
  }

  @ParameterizedTest(name = "d={0} {1} + {2}")
  @MethodSource("pairs")
  void pcSamplesMatchTheMixture(int d, PredictorKind p, CorrectorKind c) {
    SampleChecks.Report r = CHECK.run(SamplerCases.pc(p, c, SDE.samplingEps()), SDE, SamplerCases.mixture(d));
    SampleChecks.assertMatches("SubVp d=" + d + " " + p.id() + " + " + c.id(), r);
  }
}
