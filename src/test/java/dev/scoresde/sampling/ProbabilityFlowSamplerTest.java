package dev.scoresde.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.ode.DormandPrince;
import dev.scoresde.sampling.ode.OdeListener;
import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.ReverseSde;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Doubles;
import dev.scoresde.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbabilityFlowSamplerTest {
  private static final VeSde VE = new VeSde(0.01, 20, 1000);

  @RegisterExtension
  static final MixtureSamplingCheck CHECK = new MixtureSamplingCheck();

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Sde sde : List.of(VE, VpSde.paper(), SubVpSde.paper())) {
      for (int d : new int[] {2, 16}) {
        out.add(Arguments.of(sde, d));
      }
    }
    return out.stream();
  }

  /** With the paper's rtol = atol = 1e-5 the flow of exact p_T draws lands on the data distribution. */
  @ParameterizedTest(name = "{0} d={1}")
  @MethodSource("cases")
  void flowSamplesMatchTheMixture(Sde sde, int d) {
    Denoising denoise = d == 2 ? Denoising.NONE : Denoising.TWEEDIE;
    SampleChecks.Report r = CHECK.run(new ProbabilityFlowSampler(OdeOptions.paper(), sde.samplingEps(), denoise), sde,
        SamplerCases.mixture(d));
    SampleChecks.assertMatches("ODE " + sde.kind() + " d=" + d, r);
  }

  /** NFE = the solver's own count for the flow (Eq. 13), + 1 for a final denoising step. */
  @Test
  void nfeIsTheSolversCountPlusOneForDenoising() {
    VpSde vp = VpSde.paper();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), vp, 1, 32, 3);
      GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.plane(), vp);
      OdeOptions options = OdeOptions.of(1e-4, 1e-4);
      ReverseSde flow = vp.reverse(oracle, true);
      int solver = new DormandPrince(options).solve((t, y) -> flow.drift(y, t), x, 1, 1e-3, OdeListener.NONE).nfe();
      for (Denoising d : Denoising.values()) {
        SampleResult r = new ProbabilityFlowSampler(options, 1e-3, d).sample(oracle, vp, x, SamplingContext.of(Rng.of(1, 32)));
        assertEquals(solver + (d == Denoising.NONE ? 0 : 1), r.nfe(), d.toString());
      }
    }
  }

  /** MEAN is the reference's ODE denoiser: one reverse-diffusion step at ε without noise, on the flow's end. */
  @Test
  void meanDenoisingIsOneNoiseFreeReverseDiffusionStepAtEps() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), VE, 1, 16, 3);
      GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.plane(), VE);
      OdeOptions options = OdeOptions.of(1e-4, 1e-4);
      NDArray plain = new ProbabilityFlowSampler(options, 1e-5, Denoising.NONE).sample(oracle, VE, x,
          SamplingContext.of(Rng.of(1, 16))).samples();
      NDArray mean = new ProbabilityFlowSampler(options, 1e-5, Denoising.MEAN).sample(oracle, VE, x,
          SamplingContext.of(Rng.of(1, 16))).samples();
      NDArray expected = plain.add(oracle.score(plain, dev.scoresde.sde.Times.filled(plain, 1e-5)).mul(0.01 * 0.01));
      StepFormulasTest.assertClose(Doubles.of(expected), mean);
    }
  }

  @Test
  void aRowsSampleDoesNotDependOnItsBatch() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), VE, 1, 6, 4);
      GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.plane(), VE);
      ProbabilityFlowSampler sampler = new ProbabilityFlowSampler(OdeOptions.of(1e-4, 1e-4), 1e-5, Denoising.TWEEDIE);
      float[] together = sampler.sample(oracle, VE, x, SamplingContext.of(Rng.of(3, 6))).samples().toFloatArray();
      float[] first = sampler.sample(oracle, VE, x.get("0:3"), SamplingContext.of(Rng.of(3, 3))).samples().toFloatArray();
      float[] second = sampler.sample(oracle, VE, x.get("3:6"), SamplingContext.of(Rng.of(3, 3))).samples().toFloatArray();
      float[] apart = new float[together.length];
      System.arraycopy(first, 0, apart, 0, first.length);
      System.arraycopy(second, 0, apart, first.length, second.length);
      assertArrayEquals(together, apart);
    }
  }

  /** A constraint is applied at the start and at the end of each of the equal pieces of [ε, T]. */
  @Test
  void constraintIsAppliedAtEachSegmentBoundary() {
    try (NDManager m = NDManager.newBaseManager()) {
      VpSde vp = VpSde.paper();
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), vp, 1, 8, 4);
      List<Double> times = new ArrayList<>();
      StateConstraint pin = (state, t, sde, rng) -> {
        times.add((double) t.toFloatArray()[0]);
        NDArray mask = state.x().getManager().create(new float[] {1, 0}, new Shape(1, 2));
        return State.of(state.x().mul(mask.neg().add(1)).add(mask.mul(-0.5f)));
      };
      List<SamplingListener.Progress> progress = new ArrayList<>();
      SampleResult r = new ProbabilityFlowSampler(OdeOptions.of(1e-4, 1e-4), 1e-3, Denoising.NONE, 4).sample(
          new GaussianMixtureScore(Mixtures.plane(), vp), vp, x,
          SamplingContext.of(Rng.of(1, 8)).withConstraint(pin).withListener(progress::add));
      double[] expected = TimeGrid.uniform(1, 1e-3, 5).times();
      assertEquals(expected.length, times.size());
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], times.get(i), 1e-6);
      }
      float[] out = r.samples().toFloatArray();
      for (int row = 0; row < 8; row++) {
        assertEquals(-0.5f, out[2 * row], 0f);
      }
      SamplingListener.Progress last = progress.get(progress.size() - 1);
      assertEquals(r.nfe(), last.nfe());
      assertEquals(1e-3, last.t(), 1e-9);
      assertTrue(last.step() <= last.totalSteps());
    }
  }
}
