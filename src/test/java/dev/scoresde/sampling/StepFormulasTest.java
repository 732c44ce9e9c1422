package dev.scoresde.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Doubles;
import dev.scoresde.tensor.Rng;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each predictor and corrector step against the paper's equation evaluated by hand in double precision,
 * with the same noise (re-drawn from an identically seeded Rng) and the exact mixture score.
 */
class StepFormulasTest {
  private static final int ROWS = 5;
  private static final long SEED = 99;
  private static final double T = 0.37;
  private static final double T_NEXT = 0.33;

  static Stream<Sde> sdes() {
    return Stream.of(new VeSde(0.01, 20, 100), new VpSde(0.1, 20, 100), new SubVpSde(0.1, 20, 100));
  }

  /** What a step needs by hand: x, the score at (x, T) and the step's noise z, all (ROWS·d) flat. */
  private record Inputs(NDArray x, double[] xs, double[] s, double[] z, int d) {}

  private static Inputs inputs(NDManager m, Sde sde) {
    GaussianMixture g = Mixtures.plane();
    NDArray x = Mixtures.marginal(m, g, sde, T, ROWS, 5);
    double[] s = Doubles.of(new GaussianMixtureScore(g, sde).score(x, Times.filled(x, T)));
    double[] z = Doubles.of(Rng.of(SEED, ROWS).normal(m, x.getShape()));
    return new Inputs(x, Doubles.of(x), s, z, 2);
  }

  private static GaussianMixtureScore oracle(Sde sde) {
    return new GaussianMixtureScore(Mixtures.plane(), sde);
  }

  /** Euler–Maruyama on Eq. 6: x + [f(t) x − g² s] dt + g sqrt(−dt) z, dt = tNext − t. */
  @ParameterizedTest
  @MethodSource("sdes")
  void eulerMaruyamaIsOneStepOfTheReverseSde(Sde sde) {
    try (NDManager m = NDManager.newBaseManager()) {
      Inputs in = inputs(m, sde);
      State out = predict(new EulerMaruyamaPredictor(), sde, in);
      double dt = T_NEXT - T;
      double g = sde.diffusion(T);
      assertStep(in, out, k -> in.xs[k] + (sde.driftCoefficient(T) * in.xs[k] - g * g * in.s[k]) * dt,
          k -> g * Math.sqrt(-dt));
    }
  }

  /**
   * Reverse diffusion, Eq. 46, with the chains written out: SMLD G_i² = σ_i² − σ_{i−1}², f_i = 0; DDPM
   * f_i(x) = (sqrt(1 − β_i) − 1) x, G_i = sqrt(β_i); sub-VP's Euler–Maruyama chain f(t)x/N, g(t)/sqrt(N).
   */
  @ParameterizedTest
  @MethodSource("sdes")
  void reverseDiffusionReversesTheDiscreteChain(Sde sde) {
    try (NDManager m = NDManager.newBaseManager()) {
      Inputs in = inputs(m, sde);
      State out = predict(new ReverseDiffusionPredictor(), sde, in);
      ChainStep c = chainStep(sde, level(sde));
      assertStep(in, out, k -> in.xs[k] - (c.a() * in.xs[k] - c.g2() * in.s[k]), k -> Math.sqrt(c.g2()));
    }
  }

  /** Eq. 47 (SMLD) and Eq. 48 (DDPM); sub-VP has no ancestral chain and is rejected. */
  @ParameterizedTest
  @MethodSource("sdes")
  void ancestralSamplingFollowsEquations47And48(Sde sde) {
    try (NDManager m = NDManager.newBaseManager()) {
      Inputs in = inputs(m, sde);
      AncestralSamplingPredictor p = new AncestralSamplingPredictor();
      if (sde instanceof SubVpSde) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> predict(p, sde, in));
        assertTrue(e.getMessage().contains("subvp"), e.getMessage());
        return;
      }
      State out = predict(p, sde, in);
      int i = level(sde);
      if (sde instanceof VeSde ve) {
        double s2 = sq(ve.discreteSigma(i));
        double p2 = sq(ve.discreteSigma(i - 1));
        assertStep(in, out, k -> in.xs[k] + (s2 - p2) * in.s[k], k -> Math.sqrt(p2 * (s2 - p2) / s2));
      } else {
        double beta = ((VpSde) sde).schedule().discreteBeta(i);
        assertStep(in, out, k -> (in.xs[k] + beta * in.s[k]) / Math.sqrt(1 - beta), k -> Math.sqrt(beta));
      }
    }
  }

  /** SMLD level 0 steps to σ = 0: the whole σ_0² is removed and no noise is added. */
  @Test
  void ancestralLevelZeroStepIsNoiseFree() {
    try (NDManager m = NDManager.newBaseManager()) {
      VeSde ve = new VeSde(0.01, 20, 100);
      NDArray x = Mixtures.marginal(m, Mixtures.plane(), ve, 0, ROWS, 3);
      State out = new AncestralSamplingPredictor().update(oracle(ve), ve, State.of(x), 0.001, 0, Rng.of(SEED, ROWS));
      assertClose(Doubles.of(out.mean()), out.x());
    }
  }

  /** Algorithms 4/5: ε = 2α (r ‖z‖ / ‖s‖)², per row or with batch means; α = 1 − β_i for VP and sub-VP. */
  @ParameterizedTest
  @MethodSource("sdes")
  void langevinStepFollowsTheSignalToNoiseRule(Sde sde) {
    for (StepSizeScope scope : StepSizeScope.values()) {
      try (NDManager m = NDManager.newBaseManager()) {
        Inputs in = inputs(m, sde);
        double snr = 0.16;
        State out = new LangevinCorrector(snr, 1, scope).update(oracle(sde), sde, State.of(in.x), T, Rng.of(SEED, ROWS));
        double alpha = sde instanceof VeSde ? 1
            : 1 - (sde instanceof VpSde vp ? vp.schedule() : ((SubVpSde) sde).schedule())
                .discreteBeta(level(sde));
        double[] zn = new double[ROWS];
        double[] sn = new double[ROWS];
        for (int r = 0; r < ROWS; r++) {
          for (int j = 0; j < in.d; j++) {
            zn[r] += sq(in.z[r * in.d + j]);
            sn[r] += sq(in.s[r * in.d + j]);
          }
          zn[r] = Math.sqrt(zn[r]);
          sn[r] = Math.sqrt(sn[r]);
        }
        double zMean = java.util.Arrays.stream(zn).average().orElseThrow();
        double sMean = java.util.Arrays.stream(sn).average().orElseThrow();
        IntToDoubleFunction eps = k -> {
          int r = k / in.d;
          double ratio = scope == StepSizeScope.PER_ROW ? zn[r] / sn[r] : zMean / sMean;
          return 2 * alpha * sq(snr * ratio);
        };
        assertStep(in, out, k -> in.xs[k] + eps.applyAsDouble(k) * in.s[k], k -> Math.sqrt(2 * eps.applyAsDouble(k)));
      }
    }
  }

  /** NCSN's annealed Langevin: ε = 2α (r σ(t))². */
  @ParameterizedTest
  @MethodSource("sdes")
  void annealedLangevinStepFollowsTheNoiseLevel(Sde sde) {
    try (NDManager m = NDManager.newBaseManager()) {
      Inputs in = inputs(m, sde);
      double snr = 0.2;
      State out = new AnnealedLangevinCorrector(snr, 1).update(oracle(sde), sde, State.of(in.x), T, Rng.of(SEED, ROWS));
      double eps = 2 * sde.langevinAlpha(T) * sq(snr * sde.marginalStd(T));
      assertStep(in, out, k -> in.xs[k] + eps * in.s[k], k -> Math.sqrt(2 * eps));
    }
  }

  /**
   * Tweedie's formula for one Gaussian N(μ, Σ): E[x(0) | x(t)] = μ + α Σ (α² Σ + σ² I)⁻¹ (x − α μ), computed
   * from Gaussian conditioning (independent of the score's formula).
   */
  @ParameterizedTest
  @MethodSource("sdes")
  void tweedieIsThePosteriorMeanForGaussianData(Sde sde) {
    double[] mu = {1, -0.5};
    double[][] cov = {{0.8, 0.3}, {0.3, 0.5}};
    GaussianMixture g = GaussianMixture.of(new double[] {1}, new double[][] {mu}, new double[][][] {cov});
    try (NDManager m = NDManager.newBaseManager()) {
      double t = 0.3;
      NDArray x = m.create(new float[] {0.3f, 1.2f, -2f, 0.4f, 1.5f, -1f}, new Shape(3, 2));
      double[] out = Doubles.of(Denoising.tweedie(new GaussianMixtureScore(g, sde), sde, x, t));
      double a = sde.meanCoefficient(t);
      double s2 = sq(sde.marginalStd(t));
      double[][] c = {{a * a * cov[0][0] + s2, a * a * cov[0][1]}, {a * a * cov[1][0], a * a * cov[1][1] + s2}};
      double det = c[0][0] * c[1][1] - c[0][1] * c[1][0];
      double[][] inv = {{c[1][1] / det, -c[0][1] / det}, {-c[1][0] / det, c[0][0] / det}};
      double[] xs = Doubles.of(x);
      double[] expected = new double[6];
      for (int r = 0; r < 3; r++) {
        double[] dev = {xs[2 * r] - a * mu[0], xs[2 * r + 1] - a * mu[1]};
        double[] w = {inv[0][0] * dev[0] + inv[0][1] * dev[1], inv[1][0] * dev[0] + inv[1][1] * dev[1]};
        for (int i = 0; i < 2; i++) {
          expected[2 * r + i] = mu[i] + a * (cov[i][0] * w[0] + cov[i][1] * w[1]);
        }
      }
      for (int k = 0; k < 6; k++) {
        assertEquals(expected[k], out[k], 2e-5 * Math.max(1, Math.abs(expected[k])), "coordinate " + k);
      }
    }
  }

  /** The discrete chain's x_{i+1} = x_i + a·x_i + sqrt(g2)·z at level i, as Eq. 46 reverses it. */
  private record ChainStep(double a, double g2) {}

  private static ChainStep chainStep(Sde sde, int i) {
    if (sde instanceof VeSde ve) {
      return new ChainStep(0, sq(ve.discreteSigma(i)) - sq(ve.discreteSigma(i - 1)));
    }
    if (sde instanceof VpSde vp) {
      double beta = vp.schedule().discreteBeta(i);
      return new ChainStep(Math.sqrt(1 - beta) - 1, beta);
    }
    return new ChainStep(sde.driftCoefficient(T) / sde.steps(), sq(sde.diffusion(T)) / sde.steps());
  }

  private static State predict(Predictor p, Sde sde, Inputs in) {
    return p.update(oracle(sde), sde, State.of(in.x), T, T_NEXT, Rng.of(SEED, ROWS));
  }

  /** The discrete chains' level i at T: ⌊T (N − 1)⌋. */
  private static int level(Sde sde) {
    return (int) Math.floor(T * (sde.steps() - 1));
  }

  /**
   * Asserts that a step's mean is {@code mean(k)} and its new state {@code mean(k) + noise(k)·z_k}, for every
   * element k of the flat (ROWS·d) state.
   */
  private static void assertStep(Inputs in, State out, IntToDoubleFunction mean, IntToDoubleFunction noise) {
    double[] means = new double[in.xs.length];
    double[] next = new double[in.xs.length];
    for (int k = 0; k < means.length; k++) {
      means[k] = mean.applyAsDouble(k);
      next[k] = means[k] + noise.applyAsDouble(k) * in.z[k];
    }
    assertClose(means, out.mean());
    assertClose(next, out.x());
  }

  static void assertClose(double[] expected, NDArray actual) {
    double[] a = Doubles.of(actual);
    assertEquals(expected.length, a.length);
    for (int k = 0; k < a.length; k++) {
      assertEquals(expected[k], a[k], 3e-5 * Math.max(1, Math.abs(expected[k])), "element " + k);
    }
  }

  private static double sq(double v) {
    return v * v;
  }
}
