package dev.scoresde.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PC sampler's bookkeeping: NFE, order, constraints, progress, reproducibility, batch independence, memory. */
class PcSamplerTest {
  private static final VeSde VE = new VeSde(0.01, 20, 1000);
  private static final VpSde VP = VpSde.paper();

  /** The exact score of N(0, I) data: s(x, t) = −x / (α(t)² + σ(t)²); two tensor ops. */
  static ScoreModel standardNormalScore(Sde sde) {
    return (x, t) -> x.div(Times.perRow(x, t, s -> -(sq(sde.meanCoefficient(s)) + sq(sde.marginalStd(s)))));
  }

  private static PcSampler pc(Predictor p, Corrector c, int steps, PcSampler.Order order, Denoising d) {
    return new PcSampler(p, c, steps, 1e-3, order, d);
  }

  @Test
  void nfeIsPredictorStepsPlusCorrectorStepsPlusOneForTweedie() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.zeros(new Shape(4, 2));
      ScoreModel s = standardNormalScore(VP);
      int n = 12;
      for (PcSampler.Order order : PcSampler.Order.values()) {
        for (Denoising d : Denoising.values()) {
          int extra = d == Denoising.TWEEDIE ? 1 : 0;
          Corrector twoSteps = new LangevinCorrector(0.16, 2, StepSizeScope.PER_ROW);
          assertEquals(n + 2 * n + extra, nfe(pc(new EulerMaruyamaPredictor(), twoSteps, n, order, d), s, x));
          assertEquals(n + extra, nfe(pc(new ReverseDiffusionPredictor(), new NoneCorrector(), n, order, d), s, x));
          assertEquals(3 * n + extra,
              nfe(pc(new NonePredictor(), new AnnealedLangevinCorrector(0.16, 3), n, order, d), s, x));
        }
      }
    }
  }

  private static int nfe(PcSampler sampler, ScoreModel s, NDArray x) {
    SampleResult r = sampler.sample(s, VP, x, SamplingContext.of(Rng.of(1, 4)));
    r.samples().close();
    assertEquals(sampler.plannedEvaluations(), r.nfe(), "planned evaluations");
    return r.nfe();
  }

  /** Reference order: C(t_i), P(t_i → t_{i+1}), the last to 0; Algorithm 1: P(t_i → t_{i+1}), C(t_{i+1}). */
  @Test
  void constraintSeesEveryStateAtItsTimeInBothOrders() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.zeros(new Shape(2, 2));
      int n = 4;
      for (PcSampler.Order order : PcSampler.Order.values()) {
        List<Double> times = new ArrayList<>();
        StateConstraint record = (state, t, sde, rng) -> {
          times.add((double) t.toFloatArray()[0]);
          return state;
        };
        PcSampler sampler = pc(new EulerMaruyamaPredictor(), new LangevinCorrector(0.16, 1, StepSizeScope.PER_ROW), n,
            order, Denoising.NONE);
        sampler.sample(standardNormalScore(VP), VP, x, SamplingContext.of(Rng.of(1, 2)).withConstraint(record))
            .samples().close();
        TimeGrid grid = sampler.grid(VP);
        List<Double> expected = new ArrayList<>(List.of(1.0));
        for (int i = 0; i < n; i++) {
          if (order == PcSampler.Order.CORRECTOR_FIRST) {
            expected.add(grid.get(i));
            expected.add(i + 1 < grid.size() ? grid.get(i + 1) : 0.0);
          } else {
            expected.add(grid.get(i + 1));
            expected.add(grid.get(i + 1));
          }
        }
        assertEquals(expected.size(), times.size(), order + ": " + times);
        for (int i = 0; i < times.size(); i++) {
          assertEquals(expected.get(i), times.get(i), 1e-6, order + " call " + i + ": " + times);
        }
      }
    }
  }

  /** A constraint that pins coordinate 0 holds exactly in the output (it is applied after the last step). */
  @Test
  void constrainedCoordinateIsExactInTheSample() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), VE, 1, 8, 3);
      StateConstraint pin = (state, t, sde, rng) -> {
        NDArray mask = state.x().getManager().create(new float[] {1, 0}, new Shape(1, 2));
        NDArray keep = mask.neg().add(1);
        return new State(state.x().mul(keep).add(mask.mul(0.25f)), state.mean().mul(keep).add(mask.mul(0.25f)));
      };
      for (Denoising d : List.of(Denoising.NONE, Denoising.MEAN)) {
        SampleResult r = new PcSampler(new ReverseDiffusionPredictor(), new LangevinCorrector(0.16, 1, StepSizeScope.PER_ROW),
            50, 1e-5, PcSampler.Order.CORRECTOR_FIRST, d)
            .sample(new GaussianMixtureScore(Mixtures.plane(), VE), VE, x, SamplingContext.of(Rng.of(2, 8)).withConstraint(pin));
        float[] out = r.samples().toFloatArray();
        for (int row = 0; row < 8; row++) {
          assertEquals(0.25f, out[2 * row], 0f);
        }
        r.samples().close();
      }
    }
  }

  @Test
  void listenerSeesEveryStepWithItsNfeAndTime() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.zeros(new Shape(2, 2));
      List<SamplingListener.Progress> seen = new ArrayList<>();
      PcSampler sampler = pc(new ReverseDiffusionPredictor(), new LangevinCorrector(0.16, 2, StepSizeScope.PER_ROW), 6,
          PcSampler.Order.CORRECTOR_FIRST, Denoising.NONE);
      sampler.sample(standardNormalScore(VP), VP, x, SamplingContext.of(Rng.of(1, 2)).withListener(seen::add))
          .samples().close();
      TimeGrid grid = sampler.grid(VP);
      assertEquals(6, seen.size());
      for (int i = 0; i < 6; i++) {
        SamplingListener.Progress p = seen.get(i);
        assertEquals(i + 1, p.step());
        assertEquals(6, p.totalSteps());
        assertEquals(3 * (i + 1), p.nfe());
        assertEquals(i + 1 < 6 ? grid.get(i + 1) : 0, p.t(), 1e-12);
      }
    }
  }

  @Test
  void sameSeedGivesIdenticalSamplesAndAnotherSeedDifferentOnes() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), VE, 1, 16, 3);
      GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.plane(), VE);
      PcSampler sampler = new PcSampler(new ReverseDiffusionPredictor(), new LangevinCorrector(0.16, 1, StepSizeScope.PER_ROW),
          40, 1e-5, PcSampler.Order.CORRECTOR_FIRST, Denoising.NONE);
      float[] a = sampler.sample(oracle, VE, x, SamplingContext.of(Rng.of(11, 16))).samples().toFloatArray();
      float[] b = sampler.sample(oracle, VE, x, SamplingContext.of(Rng.of(11, 16))).samples().toFloatArray();
      float[] c = sampler.sample(oracle, VE, x, SamplingContext.of(Rng.of(12, 16))).samples().toFloatArray();
      assertArrayEquals(a, b);
      assertFalse(Arrays.equals(a, c));
    }
  }

  /** Rows 0–5 sampled together equal rows 0–2 and 3–5 sampled apart, bit for bit (per-row step sizes). */
  @Test
  void aRowsSampleDoesNotDependOnItsBatch() {
    List<PcSampler> samplers = List.of(
        new PcSampler(new ReverseDiffusionPredictor(), new LangevinCorrector(0.16, 1, StepSizeScope.PER_ROW), 30, 1e-5,
            PcSampler.Order.CORRECTOR_FIRST, Denoising.TWEEDIE),
        new PcSampler(new EulerMaruyamaPredictor(), new AnnealedLangevinCorrector(0.16, 2), 30, 1e-5,
            PcSampler.Order.PREDICTOR_FIRST, Denoising.MEAN),
        new PcSampler(new AncestralSamplingPredictor(), new NoneCorrector(), 30, 1e-5,
            PcSampler.Order.CORRECTOR_FIRST, Denoising.NONE));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), VE, 1, 6, 4);
      GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.plane(), VE);
      for (PcSampler sampler : samplers) {
        float[] together = sampler.sample(oracle, VE, x, SamplingContext.of(Rng.of(21, 6))).samples().toFloatArray();
        Rng apart = Rng.of(21, 6);
        float[] first = sampler.sample(oracle, VE, x.get("0:3"), SamplingContext.of(apart.slice(0, 3))).samples()
            .toFloatArray();
        float[] second = sampler.sample(oracle, VE, x.get("3:6"), SamplingContext.of(apart.slice(3, 6))).samples()
            .toFloatArray();
        assertArrayEquals(together, concat(first, second), sampler.toString());
      }
    }
  }

  /** The reference's batch-mean step couples rows: the same split gives other samples (the trade-off). */
  @Test
  void batchStepSizeCouplesRows() {
    PcSampler sampler = new PcSampler(new ReverseDiffusionPredictor(), new LangevinCorrector(0.16, 1, StepSizeScope.BATCH),
        30, 1e-5, PcSampler.Order.CORRECTOR_FIRST, Denoising.NONE);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), VE, 1, 6, 4);
      GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.plane(), VE);
      float[] together = sampler.sample(oracle, VE, x, SamplingContext.of(Rng.of(21, 6))).samples().toFloatArray();
      Rng apart = Rng.of(21, 6);
      float[] first = sampler.sample(oracle, VE, x.get("0:3"), SamplingContext.of(apart.slice(0, 3))).samples()
          .toFloatArray();
      assertFalse(Arrays.equals(Arrays.copyOf(together, first.length), first));
    }
  }

  /**
   * In the reference order the last step is reverse diffusion's level-0 step, x = mean + G_0 z with
   * G_0 = σ_0 = σ_min on the SMLD chain: NONE − MEAN has standard deviation σ_min (±4 SE of a std).
   */
  @Test
  void meanDiffersFromNoneByTheLastStepsNoise() {
    int n = 2000;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), VE, 1, n, 8);
      GaussianMixtureScore oracle = new GaussianMixtureScore(Mixtures.plane(), VE);
      float[][] out = new float[2][];
      Denoising[] modes = {Denoising.NONE, Denoising.MEAN};
      for (int k = 0; k < 2; k++) {
        out[k] = new PcSampler(new ReverseDiffusionPredictor(), new NoneCorrector(), 20, 1e-5,
            PcSampler.Order.CORRECTOR_FIRST, modes[k]).sample(oracle, VE, x, SamplingContext.of(Rng.of(5, n)))
            .samples().toFloatArray();
      }
      double ss = 0;
      for (int i = 0; i < out[0].length; i++) {
        ss += sq(out[0][i] - out[1][i]);
      }
      double std = Math.sqrt(ss / out[0].length);
      double sigma0 = new VeSde(0.01, 20, 20).discreteSigma(0);
      assertEquals(sigma0, std, 4 * sigma0 / Math.sqrt(2.0 * out[0].length), "std of NONE − MEAN");
    }
  }

  /** 2000 steps of predictor and corrector leave no tensors behind: the manager holds as many arrays as at step 10. */
  @Test
  void memoryStaysFlatOverTwoThousandSteps() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(4, 3));
      int[] counts = new int[2];
      SamplingListener count = p -> {
        if (p.step() == 10) {
          counts[0] = m.getManagedArrays().size();
        } else if (p.step() == p.totalSteps()) {
          counts[1] = m.getManagedArrays().size();
        }
      };
      int before = m.getManagedArrays().size();
      SampleResult r = new PcSampler(new EulerMaruyamaPredictor(), new LangevinCorrector(0.16, 1, StepSizeScope.PER_ROW), 2000,
          1e-3, PcSampler.Order.CORRECTOR_FIRST, Denoising.TWEEDIE)
          .sample(standardNormalScore(VP), VP, x, SamplingContext.of(Rng.of(1, 4)).withListener(count));
      assertEquals(counts[0], counts[1], "arrays alive at step 10 and at step 2000");
      assertEquals(before + 1, m.getManagedArrays().size(), "only the sample is left");
      assertTrue(Float.isFinite(r.samples().sum().getFloat()));
    }
  }

  @Test
  void rejectsWhatIsNotDefined() {
    assertThrows(IllegalArgumentException.class,
        () -> new PcSampler(new NonePredictor(), new NoneCorrector(), 10, 1e-3, PcSampler.Order.CORRECTOR_FIRST, Denoising.NONE));
    assertThrows(IllegalArgumentException.class,
        () -> new PcSampler(new EulerMaruyamaPredictor(), new NoneCorrector(), 10, 0, PcSampler.Order.CORRECTOR_FIRST, Denoising.NONE));
    try (NDManager m = NDManager.newBaseManager()) {
      SubVpSde sub = SubVpSde.paper();
      NDArray x = m.zeros(new Shape(2, 2));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new PcSampler(new AncestralSamplingPredictor(), new NoneCorrector(), 10, 1e-3,
              PcSampler.Order.CORRECTOR_FIRST, Denoising.NONE).sample(standardNormalScore(sub), sub, x, SamplingContext.of(Rng.of(1, 2))));
      assertTrue(e.getMessage().contains("ancestral"), e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> pc(new EulerMaruyamaPredictor(), new NoneCorrector(), 10, PcSampler.Order.CORRECTOR_FIRST, Denoising.NONE)
              .sample(standardNormalScore(VP), VP, x, SamplingContext.of(Rng.of(1, 3))));
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static double sq(double v) {
    return v * v;
  }
}
