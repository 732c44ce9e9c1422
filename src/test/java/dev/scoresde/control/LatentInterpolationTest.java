package dev.scoresde.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.likelihood.ProbabilityFlowCodec;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LatentInterpolationTest {
  static final int FRAMES = 9;

  static ProbabilityFlowCodec codec(Sde sde, GaussianMixture g) {
    return ProbabilityFlowCodec.of(sde, new GaussianMixtureScore(g, sde), LikelihoodSettings.defaults());
  }

  /**
   * Pairs in different components and in the same one: both paths decode their end frames back to the
   * inputs (the codec's round trip, 1e-3 relative) and no step between frames exceeds the distance of the
   * inputs. Within a mode the decoder is smooth, so refining the frames (halving the latent steps; the
   * refined frames pass through the coarse ones) shrinks the largest step; across modes it does not: the
   * decoded path crosses the low-density gap within one latent step however fine (measured: 3.6 of 6.0 at 9
   * frames, 3.4 at 17), which is the flow's near-discontinuity between separated modes, not a bug.
   */
  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void endFramesDecodeToTheInputsAndStepsAreBounded(Sde sde) {
    GaussianMixture g = ControlMixtures.classes();
    LatentInterpolation interpolation = new LatentInterpolation(codec(sde, g));
    float[][][] pairs = {{{-3.2f, 0.4f}, {2.7f, 1.3f}}, {{2.3f, 0.6f}, {3.6f, 1.5f}}};
    try (NDManager m = NDManager.newBaseManager()) {
      for (int p = 0; p < pairs.length; p++) {
        float[] ia = pairs[p][0];
        float[] ib = pairs[p][1];
        NDArray a = m.create(ia, new Shape(1, 2));
        NDArray b = m.create(ib, new Shape(1, 2));
        double gap = Math.hypot(ib[0] - ia[0], ib[1] - ia[1]);
        for (LatentInterpolation.Path path : LatentInterpolation.Path.values()) {
          LatentInterpolation.Result r = interpolation.interpolate(a, b, FRAMES, path);
          assertEquals(new Shape(FRAMES, 2), r.frames().getShape());
          float[] f = r.frames().toFloatArray();
          double e0 = Math.hypot(f[0] - ia[0], f[1] - ia[1]) / Math.hypot(ia[0], ia[1]);
          double e1 = Math.hypot(f[2 * FRAMES - 2] - ib[0], f[2 * FRAMES - 1] - ib[1]) / Math.hypot(ib[0], ib[1]);
          double maxStep = largestStep(f);
          System.out.printf("%s %s %s: end errors %.1e %.1e, largest step %.3f of gap %.3f, NFE %d + %d%n",
              sde.kind(), p == 0 ? "across modes" : "within a mode", path.id(), e0, e1, maxStep, gap, r.encodeNfe(),
              r.decodeNfe());
          assertTrue(e0 <= 1e-3 && e1 <= 1e-3, path + ": end frames off by " + e0 + ", " + e1);
          assertTrue(maxStep <= gap, path + ": a step of " + maxStep + " between frames, gap " + gap);
          if (p == 1) {
            float[] fine = interpolation.interpolate(a, b, 2 * FRAMES - 1, path).frames().toFloatArray();
            assertArrayEquals(f, everyOther(fine), 1e-4f, path + ": refined frames must pass through the coarse ones");
            double fineStep = largestStep(fine);
            System.out.printf("  refined to %d frames: largest step %.3f%n", 2 * FRAMES - 1, fineStep);
            assertTrue(fineStep <= 0.7 * maxStep, path + ": refining the frames left a step of " + fineStep);
          }
        }
      }
    }
  }

  private static double largestStep(float[] f) {
    double max = 0;
    for (int i = 1; i < f.length / 2; i++) {
      max = Math.max(max, Math.hypot(f[2 * i] - f[2 * i - 2], f[2 * i + 1] - f[2 * i - 1]));
    }
    return max;
  }

  private static float[] everyOther(float[] frames) {
    float[] out = new float[2 * FRAMES];
    for (int i = 0; i < FRAMES; i++) {
      out[2 * i] = frames[4 * i];
      out[2 * i + 1] = frames[4 * i + 1];
    }
    return out;
  }

  /** Slerp keeps |z(s)| = (1 − s)|z₀| + s|z₁| and constant angular speed; linear dips by ≈ 1/√2 in between. */
  @Test
  void sphericalPathKeepsTheNormProfileAndLinearDips() {
    try (NDManager m = NDManager.newBaseManager()) {
      int d = 256;
      NDArray z0 = Rng.of(1, 1).normal(m, new Shape(1, d));
      NDArray z1 = Rng.of(2, 1).normal(m, new Shape(1, d)).mul(1.3);
      int frames = 11;
      NDArray slerp = LatentInterpolation.path(z0, z1, frames, LatentInterpolation.Path.SPHERICAL);
      NDArray lerp = LatentInterpolation.path(z0, z1, frames, LatentInterpolation.Path.LINEAR);
      float[] norms = slerp.norm(new int[] {1}).toFloatArray();
      float[] linear = lerp.norm(new int[] {1}).toFloatArray();
      double n0 = norms[0];
      double n1 = norms[frames - 1];
      assertArrayEquals(z0.toFloatArray(), slerp.get("0:1").toFloatArray(), 0f);
      assertArrayEquals(z1.toFloatArray(), slerp.get((frames - 1) + ":").toFloatArray(), 0f);
      float[] s = slerp.toFloatArray();
      double[] angles = new double[frames - 1];
      for (int i = 0; i < frames; i++) {
        double t = i / (double) (frames - 1);
        assertEquals((1 - t) * n0 + t * n1, norms[i], 1e-5 * n1, "norm of frame " + i);
        if (i > 0) {
          double dot = 0;
          for (int j = 0; j < d; j++) {
            dot += s[(i - 1) * d + j] * s[i * d + j];
          }
          angles[i - 1] = Math.acos(Math.min(1, dot / (norms[i - 1] * (double) norms[i])));
        }
      }
      for (double angle : angles) {
        assertEquals(angles[0], angle, 1e-3 * angles[0], "angular speed");
      }
      double middle = linear[frames / 2] / (0.5 * (n0 + n1));
      System.out.printf("linear path: middle norm %.3f of the profile%n", middle);
      assertTrue(middle < 0.8, "two independent 256-d latents: the linear midpoint should dip, got " + middle);
    }
  }

  @Test
  void rejectsBadArgumentsWithClearMessages() {
    GaussianMixture g = ControlMixtures.classes();
    LatentInterpolation interpolation = new LatentInterpolation(codec(VpSde.paper(), g));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2}, new Shape(1, 2));
      NDArray b = m.create(new float[] {2, 1}, new Shape(1, 2));
      assertMessage("frames must be between 2", () -> interpolation.interpolate(a, b, 1, LatentInterpolation.Path.LINEAR));
      assertMessage("frames must be between 2", () -> LatentInterpolation.path(a, b, 257, LatentInterpolation.Path.LINEAR));
      assertMessage("same shape", () -> interpolation.interpolate(a, m.zeros(new Shape(1, 3)), 3,
          LatentInterpolation.Path.LINEAR));
      assertMessage("single items", () -> interpolation.interpolate(m.zeros(new Shape(2, 2)), m.zeros(new Shape(2, 2)),
          3, LatentInterpolation.Path.LINEAR));
      assertMessage("non-zero", () -> LatentInterpolation.path(m.zeros(new Shape(1, 2)), b, 3,
          LatentInterpolation.Path.SPHERICAL));
      assertMessage("opposite directions", () -> LatentInterpolation.path(a, a.neg(), 3,
          LatentInterpolation.Path.SPHERICAL));
      assertMessage("path must be given", () -> LatentInterpolation.path(a, b, 3, null));
      assertMessage("unknown interpolation path 'cubic'", () -> LatentInterpolation.Path.byApiName("cubic"));
      assertEquals(LatentInterpolation.Path.SPHERICAL, LatentInterpolation.Path.byApiName("slerp"));
      float[] same = LatentInterpolation.path(a, a.mul(2), 3, LatentInterpolation.Path.SPHERICAL).toFloatArray();
      assertArrayEquals(new float[] {1, 2, 1.5f, 3, 2, 4}, same, 1e-6f, "parallel latents: the norm moves alone");
    }
  }

  static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
  }
}
