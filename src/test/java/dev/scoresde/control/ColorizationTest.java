package dev.scoresde.control;

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
import dev.scoresde.sampling.State;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Colorization (Appendix I.2) on {@link ControlMixtures#colours()}: gray reveals the pattern, colour the hue. */
class ColorizationTest {
  static final int N = 300;
  static final Shape IMAGE = new Shape(3, ControlMixtures.H, ControlMixtures.W);

  /** M is orthogonal with first axis (1,1,1)/√3: couple inverts decouple, and u_0 = √3 · gray. */
  @Test
  void decoupleIsOrthogonalWithTheGrayAxisFirst() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(4, 3, 2, 2));
      NDArray u = Colorization.decouple(x);
      assertTrue(Colorization.couple(u).sub(x).abs().max().getFloat() < 1e-6, "couple ∘ decouple ≠ id");
      assertTrue(u.square().sum().sub(x.square().sum()).abs().getFloat() < 1e-4 * x.square().sum().getFloat(),
          "decouple changes the norm");
      NDArray gray = Colorization.grayOf(x).mul(Math.sqrt(3));
      assertTrue(u.get(":, 0:1").sub(gray).abs().max().getFloat() < 1e-6, "u_0 ≠ √3 · gray");
    }
  }

  /** After a step the chroma coordinates are untouched and the gray one is α√3g + σz (x), α√3g (mean). */
  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void applyImposesThePerturbedGrayAndKeepsTheChroma(Sde sde) {
    try (NDManager m = NDManager.newBaseManager()) {
      int n = 3;
      NDArray gray = m.randomNormal(new Shape(n, 1, 2, 2));
      NDArray x = m.randomNormal(new Shape(n, 3, 2, 2));
      NDArray mean = m.randomNormal(new Shape(n, 3, 2, 2));
      double t = 0.42;
      State out = new Colorization(gray).apply(new State(x, mean), Times.filled(x, t), sde, Rng.of(4, n));
      NDArray z = Rng.of(4, n).normal(m, new Shape(n, 1, 2, 2));
      double a = sde.meanCoefficient((float) t);
      double s = sde.marginalStd((float) t);
      NDArray target = gray.mul(Math.sqrt(3) * a);
      NDArray ux = Colorization.decouple(out.x());
      NDArray um = Colorization.decouple(out.mean());
      assertTrue(ux.get(":, 0:1").sub(target.add(z.mul(s))).abs().max().getFloat() < 1e-5 * (1 + s), "x gray");
      assertTrue(um.get(":, 0:1").sub(target).abs().max().getFloat() < 1e-5, "mean gray");
      assertTrue(ux.get(":, 1:3").sub(Colorization.decouple(x).get(":, 1:3")).abs().max().getFloat() < 1e-5, "x chroma");
      assertTrue(um.get(":, 1:3").sub(Colorization.decouple(mean).get(":, 1:3")).abs().max().getFloat() < 1e-5,
          "mean chroma");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void pcColoursComeFromTheRightComponentAndKeepTheGray(Sde sde) {
    GaussianMixture g = ControlMixtures.colours();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    Sampler pc = new PcSampler(new ReverseDiffusionPredictor(), new NoneCorrector(), ClassifierGuidanceTest.STEPS,
        sde.samplingEps(), PcSampler.Order.CORRECTOR_FIRST, Denoising.MEAN);
    try (NDManager m = NDManager.newBaseManager()) {
      GaussianMixture.Draws obs = g.sample(m, N, Rng.of(41, N));
      NDArray images = obs.x().reshape(new Shape(N).addAll(IMAGE));
      NDArray gray = Colorization.grayOf(images);
      Colorization colorization = new Colorization(gray);
      NDArray xT = sde.priorSample(m, new Shape(N).addAll(IMAGE), Rng.of(42, N));
      SampleResult r = pc.sample(oracle, sde, xT, SamplingContext.of(Rng.of(43, N)).withConstraint(colorization));
      double rawGrayError = Colorization.grayOf(r.samples()).sub(gray).abs().max().getFloat();
      NDArray done = colorization.finish(r.samples());
      double grayError = Colorization.grayOf(done).sub(gray).abs().max().getFloat();
      double chromaChange = Colorization.decouple(done).get(":, 1:3").sub(Colorization.decouple(r.samples())
          .get(":, 1:3")).abs().max().getFloat();
      double acc = Stats.accuracy(Stats.classify(chroma(g), sde, Colorization.decouple(done).get(":, 1:3"),
          sde.samplingEps()), obs.labels());
      System.out.printf("%s colorization: component accuracy %.4f, gray error %.1e (sampler output %.1e), NFE %d%n",
          sde.kind(), acc, grayError, rawGrayError, r.nfe());
      assertTrue(grayError <= 1e-4, "gray error " + grayError);
      assertTrue(rawGrayError <= 1e-4, "gray error of the sampler's output " + rawGrayError);
      assertTrue(chromaChange <= 1e-4, "finish changed the colours by " + chromaChange);
      assertTrue(acc >= 0.95, "component accuracy " + acc);
    }
  }

  /**
   * The mixture of the chroma coordinates (decoupled channels 1–2) of the colour mixture: M is orthogonal
   * per pixel and each pixel's variance is the same in its three channels, so the chroma coordinates have
   * the component's per-pixel variance and are independent of the gray one.
   */
  static GaussianMixture chroma(GaussianMixture g) {
    int k = g.components();
    int hw = ControlMixtures.H * ControlMixtures.W;
    double[] w = new double[k];
    double[][] means = new double[k][];
    double[][] vars = new double[k][2 * hw];
    try (NDManager m = NDManager.newBaseManager()) {
      for (int c = 0; c < k; c++) {
        w[c] = g.weight(c);
        float[] mu = Colorization.decouple(m.create(toFloat(g.mean(c)), new Shape(1).addAll(IMAGE))).get(":, 1:3")
            .toFloatArray();
        means[c] = new double[mu.length];
        for (int i = 0; i < mu.length; i++) {
          means[c][i] = mu[i];
        }
        double[][] cov = g.covariance(c);
        for (int i = 0; i < 2 * hw; i++) {
          vars[c][i] = cov[i % hw][i % hw];
        }
      }
    }
    return GaussianMixture.diagonal(w, means, vars);
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  @Test
  void rejectsImagesThatAreNotThreeChannel() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThrows(IllegalArgumentException.class, () -> new Colorization(m.zeros(new Shape(2, 3, 2, 2))));
      assertThrows(IllegalArgumentException.class, () -> Colorization.decouple(m.zeros(new Shape(2, 1, 2, 2))));
    }
  }
}
