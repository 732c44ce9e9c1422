package dev.scoresde.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.NoneCorrector;
import dev.scoresde.sampling.PcSampler;
import dev.scoresde.sampling.ReverseDiffusionPredictor;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.score.ConditionalScoreModel;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classifier-free guidance on the exact class-conditional model of a Gaussian mixture
 * ({@link GaussianMixtureScore#asConditional()}: s(x, t, k) = ∇ log p_t(x | k), s(x, t, ∅) = ∇ log p_t(x)).
 */
class ClassifierFreeGuidanceTest {

  /** (1 + w)·s(x | y) − w·s(x) against the component and mixture oracles, with a different label per row. */
  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void guidedScoreIsTheWeightedCombinationOfExactScores(Sde sde) {
    GaussianMixture g = ControlMixtures.classes();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    int n = 30;
    int[] labels = ClassifierGuidanceTest.cyclicLabels(n);
    try (NDManager m = NDManager.newBaseManager()) {
      for (double t : new double[] {sde.samplingEps(), 0.2, 0.7}) {
        NDArray x = sde.perturb(g.sample(m, n, Rng.of(21, n)).x(), m.full(new Shape(n), (float) t), Rng.of(22, n));
        NDArray tt = Times.filled(x, t);
        float[] plain = oracle.score(x, tt).toFloatArray();
        float[][] cond = new float[3][];
        for (int k = 0; k < 3; k++) {
          cond[k] = oracle.conditional(k).score(x, tt).toFloatArray();
        }
        for (double w : new double[] {0, 0.5, 3}) {
          float[] got = new ClassifierFreeGuidance(oracle.asConditional(), labels, w).score(x, tt).toFloatArray();
          for (int r = 0; r < n; r++) {
            for (int i = 0; i < 2; i++) {
              double c = cond[labels[r]][2 * r + i];
              double want = (1 + w) * c - w * plain[2 * r + i];
              double tol = 1e-4 * (1 + (1 + w) * Math.abs(c) + w * Math.abs(plain[2 * r + i]));
              assertEquals(want, got[2 * r + i], tol, sde.kind() + " t=" + t + " w=" + w + " row " + r);
            }
          }
        }
      }
    }
  }

  /**
   * w = 0 is plain conditional sampling: the same seed gives bit-identical samples to sampling with
   * s(x, t, y) directly (and that model agrees with the component oracle to float rounding).
   */
  @Test
  void weightZeroIsPlainConditionalSamplingWithTheSameSeed() {
    Sde sde = VpSde.paper();
    GaussianMixtureScore oracle = new GaussianMixtureScore(ControlMixtures.classes(), sde);
    ConditionalScoreModel model = oracle.asConditional();
    int n = 12;
    int[] labels = ClassifierGuidanceTest.cyclicLabels(n);
    Sampler pc = new PcSampler(new ReverseDiffusionPredictor(), new NoneCorrector(), 20, sde.samplingEps(),
        PcSampler.Order.CORRECTOR_FIRST, Denoising.MEAN);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xT = sde.priorSample(m, new Shape(n, 2), Rng.of(3, n));
      NDArray y = m.create(labels);
      ScoreModel direct = (x, t) -> model.score(x, t, y);
      float[] plain = pc.sample(direct, sde, xT, SamplingContext.of(Rng.of(4, n))).samples().toFloatArray();
      float[] guided = pc.sample(new ClassifierFreeGuidance(model, labels, 0), sde, xT,
          SamplingContext.of(Rng.of(4, n))).samples().toFloatArray();
      assertArrayEquals(plain, guided, 0f);
      NDArray t = m.full(new Shape(n), 0.3f);
      float[] viaModel = model.score(xT, t, y).toFloatArray();
      for (int r = 0; r < n; r++) {
        float[] comp = oracle.conditional(labels[r]).score(xT.get(r + ":" + (r + 1)), t.get(r + ":" + (r + 1)))
            .toFloatArray();
        assertArrayEquals(comp, new float[] {viaModel[2 * r], viaModel[2 * r + 1]}, 1e-6f, "row " + r);
      }
    }
  }

  /** Sampling with w = 0 (the exact conditional) and w = 1 (sharper) lands in the chosen component. */
  @Test
  void samplingDrawsTheChosenClass() {
    Sde sde = VpSde.paper();
    GaussianMixture g = ControlMixtures.classes();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    int n = ClassifierGuidanceTest.N;
    int[] labels = ClassifierGuidanceTest.cyclicLabels(n);
    Sampler pc = new PcSampler(new ReverseDiffusionPredictor(), new NoneCorrector(), ClassifierGuidanceTest.STEPS,
        sde.samplingEps(), PcSampler.Order.CORRECTOR_FIRST, Denoising.MEAN);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xT = sde.priorSample(m, new Shape(n, 2), Rng.of(5, n));
      for (double w : new double[] {0, 1}) {
        SampleResult r = pc.sample(new ClassifierFreeGuidance(oracle.asConditional(), labels, w), sde, xT,
            SamplingContext.of(Rng.of(6, n)));
        double acc = Stats.accuracy(Stats.classify(g, sde, r.samples(), sde.samplingEps()), labels);
        System.out.printf("CFG w=%.1f: class accuracy %.4f, NFE %d%n", w, acc, r.nfe());
        assertTrue(acc >= 0.95, "w=" + w + " class accuracy " + acc);
        if (w == 0) {
          float[] x = r.samples().toFloatArray();
          for (int k = 0; k < 3; k++) {
            double z = Stats.momentZ(Stats.rowsOf(x, 2, labels, k), g.mean(k), g.covariance(k));
            System.out.printf("CFG w=0 class %d: moments %.2f SE%n", k, z);
            assertTrue(z <= Stats.Z, "class " + k + " moments off by " + z + " SE");
          }
        }
      }
    }
  }

  @Test
  void rejectsBadWeightsAndLabels() {
    ConditionalScoreModel model = new GaussianMixtureScore(ControlMixtures.classes(), VpSde.paper()).asConditional();
    assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(model, new int[] {0}, -0.5));
    assertThrows(IllegalArgumentException.class,
        () -> new ClassifierFreeGuidance(model, new int[] {0}, Double.POSITIVE_INFINITY));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClassifierFreeGuidance(model, new int[] {0, 3}, 1));
    assertTrue(e.getMessage().contains("not a class 0..2"), e.getMessage());
    try (NDManager m = NDManager.newBaseManager()) {
      var cfg = new ClassifierFreeGuidance(model, new int[] {0, 1, 2}, 1);
      assertThrows(IllegalArgumentException.class, () -> cfg.score(m.zeros(new Shape(2, 2)), m.ones(new Shape(2))));
    }
  }
}
