package dev.scoresde.sampling;

import dev.scoresde.sampling.fast.Ddim;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.sampling.fast.Heun;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stochastic fast solvers (which have no single path to compare with) reproduce the Gaussian mixtures
 * with the exact score: component weights, mean, covariance and MMD against exact draws
 * ({@link SampleChecks}), at small budgets: SDE-DPM-Solver++(2M) with 40 steps (VP, d = 2 and 16), DDIM
 * η = 1 with 80 steps (VP, d = 2), Heun with S_churn = 10 and 25 steps = 50 NFE (VE, d = 2). Kept to four
 * runs of 4000 rows: the class takes about a minute on 2 busy cores.
 */
class StochasticSolversMatchMixtureTest {
  @RegisterExtension
  static final MixtureSamplingCheck CHECK = new MixtureSamplingCheck();

  static Stream<Arguments> cases() {
    VpSde vp = VpSde.paper();
    VeSde ve = new VeSde(0.01, 20, 1000);
    List<Arguments> out = new ArrayList<>();
    for (int d : new int[] {2, 16}) {
      out.add(Arguments.of("sde-dpm-solver++2m", vp, d, new DpmSolverPlusPlus(2, true, 40, TimeGridKind.LOG_SNR,
          vp.samplingEps(), d == 2 ? Denoising.NONE : Denoising.TWEEDIE)));
    }
    out.add(Arguments.of("ddim eta=1", vp, 2, new Ddim(80, TimeGridKind.QUADRATIC, vp.samplingEps(), Denoising.NONE, 1)));
    out.add(Arguments.of("heun churn=10", ve, 2, new Heun(25, TimeGridKind.KARRAS, ve.samplingEps(), Denoising.NONE, 10)));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} d={2}")
  @MethodSource("cases")
  void samplesMatchTheMixture(String name, Sde sde, int d, Sampler sampler) {
    SampleChecks.Report r = CHECK.run(sampler, sde, SamplerCases.mixture(d));
    SampleChecks.assertMatches(name + " " + sde.kind() + " d=" + d, r);
  }
}
