package dev.scoresde.control;

import dev.scoresde.score.TimeDependentClassifier;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.PcSampler;
import dev.scoresde.sampling.ProbabilityFlowSampler;
import dev.scoresde.sampling.ReverseDiffusionPredictor;
import dev.scoresde.sampling.NoneCorrector;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classifier guidance with the exact time-dependent classifier of a Gaussian mixture, log p_t(y | x) =
 * the mixture's log posterior: at w = 1 the guided score is exactly the class-conditional score
 * ∇ log p_t(x | y) (Song et al. 2021, Eq. 14), so samplers draw the chosen component.
 */
class ClassifierGuidanceTest {
  /** Rows, a multiple of 3: rows i, i + 3, … are guided to class i mod 3 (150 per class: a mean's SE ≈ 0.05). */
  static final int N = 450;
  /** Predictor steps of the PC runs: the exact score leaves only the sampler's discretization error. */
  static final int STEPS = 100;

  /** The mixture's exact p_t(y | x) as a classifier. */
  static TimeDependentClassifier exact(GaussianMixtureScore oracle) {
    return oracle::logPosterior;
  }

  static int[] cyclicLabels(int n) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
    }
    return y;
  }

  /** s + w·∇ log p_t(y | x) = (1 − w)·∇ log p_t(x) + w·∇ log p_t(x | y) for the exact mixture, row by row. */
  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void guidedScoreIsTheExactConditionalScoreAtScaleOne(Sde sde) {
    GaussianMixture g = ControlMixtures.classes();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    int n = 30;
    int[] labels = cyclicLabels(n);
    try (NDManager m = NDManager.newBaseManager()) {
      for (double t : new double[] {sde.samplingEps(), 0.1, 0.4, 0.9}) {
        NDArray x = sde.perturb(g.sample(m, n, Rng.of(11, n)).x(), m.full(new Shape(n), (float) t), Rng.of(12, n));
        NDArray tt = Times.filled(x, t);
        float[] plain = oracle.score(x, tt).toFloatArray();
        float[][] cond = new float[3][];
        for (int k = 0; k < 3; k++) {
          cond[k] = oracle.conditional(k).score(x, tt).toFloatArray();
        }
        for (double w : new double[] {1, 2.5}) {
          float[] got = new ClassifierGuidance(oracle, exact(oracle), labels, w).score(x, tt).toFloatArray();
          for (int r = 0; r < n; r++) {
            for (int i = 0; i < 2; i++) {
              double want = (1 - w) * plain[2 * r + i] + w * cond[labels[r]][2 * r + i];
              double tol = 2e-4 * (1 + Math.abs(plain[2 * r + i]) + w * Math.abs(cond[labels[r]][2 * r + i]));
              assertEquals(want, got[2 * r + i], tol, sde.kind() + " t=" + t + " w=" + w + " row " + r);
            }
          }
        }
      }
    }
  }

  @Test
  void scaleZeroIsThePlainScoreBitwise() {
    Sde sde = VpSde.paper();
    GaussianMixtureScore oracle = new GaussianMixtureScore(ControlMixtures.classes(), sde);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(6, 2));
      NDArray t = m.full(new Shape(6), 0.3f);
      assertArrayEquals(oracle.score(x, t).toFloatArray(),
          new ClassifierGuidance(oracle, exact(oracle), cyclicLabels(6), 0).score(x, t).toFloatArray(), 0f);
    }
  }

  /**
   * PC sampling with w = 1: each class's rows ≥ 95 % in that component, with its moments and its MMD. The
   * sampling runs cover one SDE each (VE here, sub-VP for the ODE, VP at w = 0 and in the CFG test): each
   * costs seconds, and the score identity above already holds under all three.
   */
  @Test
  void pcSamplingAtScaleOneDrawsTheChosenComponent() {
    Sde sde = VeSde.paper();
    Sampler pc = new PcSampler(new ReverseDiffusionPredictor(), new NoneCorrector(), STEPS, sde.samplingEps(),
        PcSampler.Order.CORRECTOR_FIRST, Denoising.MEAN);
    checkDrawsTheComponents(sde, pc, 1.0, "pc");
  }

  /** The probability-flow ODE with the guided score is the conditional flow: the same components. */
  @Test
  void odeSamplingAtScaleOneDrawsTheChosenComponent() {
    Sde sde = SubVpSde.paper();
    Sampler ode = new ProbabilityFlowSampler(OdeOptions.of(1e-4, 1e-4), sde.samplingEps(), Denoising.TWEEDIE);
    checkDrawsTheComponents(sde, ode, 1.0, "ode");
  }

  /** With w = 0 the guided sampler is the unconditional one: component weights π_k and the mixture. */
  @Test
  void scaleZeroSamplesTheUnconditionalMixture() {
    Sde sde = VpSde.paper();
    GaussianMixture g = ControlMixtures.classes();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    Sampler pc = new PcSampler(new ReverseDiffusionPredictor(), new NoneCorrector(), STEPS, sde.samplingEps(),
        PcSampler.Order.CORRECTOR_FIRST, Denoising.MEAN);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xT = sde.priorSample(m, new Shape(N, 2), Rng.of(5, N));
      ScoreModel guided = new ClassifierGuidance(oracle, exact(oracle), cyclicLabels(N), 0);
      NDArray out = pc.sample(guided, sde, xT, SamplingContext.of(Rng.of(6, N))).samples();
      int[] got = Stats.classify(g, sde, out, sde.samplingEps());
      for (int k = 0; k < 3; k++) {
        int kk = k;
        double p = java.util.Arrays.stream(got).filter(l -> l == kk).count() / (double) N;
        double z = Math.abs(p - g.weight(k)) / Math.sqrt(g.weight(k) * (1 - g.weight(k)) / N);
        System.out.printf("w=0 class %d: fraction %.3f (π = %.2f, %.2f SE)%n", k, p, g.weight(k), z);
        assertTrue(z <= Stats.Z, "w = 0 should keep the mixture weight of component " + k + ": " + p);
      }
      double[][] exactDraws = Stats.rows(g.sample(m, N, Rng.of(8, N)).x().toFloatArray(), 2);
      double[] mmd = Stats.mmd(Stats.rows(out.toFloatArray(), 2), exactDraws);
      System.out.printf("w=0 MMD² %.2e (threshold %.2e)%n", mmd[0], mmd[1]);
      assertTrue(mmd[0] <= mmd[1], "w = 0 samples differ from the mixture: MMD² " + mmd[0]);
    }
  }

  private static void checkDrawsTheComponents(Sde sde, Sampler sampler, double w, String name) {
    GaussianMixture g = ControlMixtures.classes();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    int[] labels = cyclicLabels(N);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xT = sde.priorSample(m, new Shape(N, 2), Rng.of(5, N));
      ScoreModel guided = new ClassifierGuidance(oracle, exact(oracle), labels, w);
      SampleResult r = sampler.sample(guided, sde, xT, SamplingContext.of(Rng.of(6, N)));
      int[] got = Stats.classify(g, sde, r.samples(), sde.samplingEps());
      float[] x = r.samples().toFloatArray();
      double acc = Stats.accuracy(got, labels);
      for (int k = 0; k < 3; k++) {
        double[][] rows = Stats.rowsOf(x, 2, labels, k);
        double z = Stats.momentZ(rows, g.mean(k), g.covariance(k));
        double[][] exactDraws = Stats.rows(g.component(k).sample(m, rows.length, Rng.of(100 + k, rows.length)).x()
            .toFloatArray(), 2);
        double[] mmd = Stats.mmd(rows, exactDraws);
        System.out.printf("%s %s class %d: moments %.2f SE, MMD² %.2e (threshold %.2e)%n", sde.kind(), name, k, z,
            mmd[0], mmd[1]);
        assertTrue(z <= Stats.Z, "class " + k + " moments off by " + z + " SE");
        assertTrue(mmd[0] <= mmd[1], "class " + k + " differs from its component: MMD² " + mmd[0]);
      }
      System.out.printf("%s %s w=%.1f: class accuracy %.4f, NFE %d%n", sde.kind(), name, w, acc, r.nfe());
      assertTrue(acc >= 0.95, "class accuracy " + acc);
    }
  }

  @Test
  void rejectsBadScalesAndLabelCounts() {
    GaussianMixtureScore oracle = new GaussianMixtureScore(ControlMixtures.classes(), VpSde.paper());
    assertThrows(IllegalArgumentException.class, () -> new ClassifierGuidance(oracle, exact(oracle), new int[] {0}, -1));
    assertThrows(IllegalArgumentException.class,
        () -> new ClassifierGuidance(oracle, exact(oracle), new int[] {0}, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new ClassifierGuidance(oracle, exact(oracle), new int[] {-1}, 1));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.zeros(new Shape(2, 2));
      NDArray t = m.full(new Shape(2), 0.5f);
      var wrongCount = new ClassifierGuidance(oracle, exact(oracle), new int[] {0, 1, 2}, 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wrongCount.score(x, t));
      assertTrue(e.getMessage().contains("3 labels"), e.getMessage());
      var unknownClass = new ClassifierGuidance(oracle, exact(oracle), new int[] {0, 3}, 1);
      assertThrows(IllegalArgumentException.class, () -> unknownClass.score(x, t));
    }
  }
}
