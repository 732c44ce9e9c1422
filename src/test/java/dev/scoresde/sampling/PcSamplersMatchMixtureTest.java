package dev.scoresde.sampling;

import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every predictor × corrector pair under each of the paper's SDEs reproduces the Gaussian mixtures (d = 2 and
 * 16) with the exact score: component weights, mean, covariance and MMD against exact draws
 * ({@link SampleChecks}). VE: σ_max = 20 is over three times the data diameter (≈ 6), so p_T is nearly the
 * prior; σ_min = 0.01. VP: the paper β_min = 0.1, β_max = 20. Sub-VP: the paper β schedule; no ancestral
 * sampling (undefined for sub-VP).
 */
class PcSamplersMatchMixtureTest {

  @RegisterExtension
  static final MixtureSamplingCheck CHECK = new MixtureSamplingCheck();

  static Stream<Arguments> pairs() {
    return Stream.of(
        pairs("Ve", new VeSde(0.01, 20, 1000), SamplerCases.pairs(true, true)),
        pairs("Vp", VpSde.paper(), SamplerCases.pairs(true, false)),
        pairs("SubVp", SubVpSde.paper(), SamplerCases.pairs(false, false)))
        .flatMap(s -> s);
  }

  /** (name, sde, d, predictor, corrector) for each (d, predictor, corrector) of {@code pairs}. */
  private static Stream<Arguments> pairs(String name, Sde sde, Stream<Arguments> pairs) {
    return pairs.map(a -> Arguments.of(name, sde, a.get()[0], a.get()[1], a.get()[2]));
  }

  @ParameterizedTest(name = "{0} d={2} {3} + {4}")
  @MethodSource("pairs")
  void pcSamplesMatchTheMixture(String name, Sde sde, int d, PredictorKind p, CorrectorKind c) {
    SampleChecks.Report r = CHECK.run(SamplerCases.pc(p, c, sde.samplingEps()), sde, SamplerCases.mixture(d));
    SampleChecks.assertMatches(name + " d=" + d + " " + p.id() + " + " + c.id(), r);
  }
}
