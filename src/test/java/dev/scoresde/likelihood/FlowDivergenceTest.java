package dev.scoresde.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.ReverseSde;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FlowDivergenceTest {
  private static final int D = 16;

  /**
   * For one Gaussian N(μ, diag λ), p_t = N(αμ, diag(α²λ + σ²)) and f̃ = f(t)x + ½g²C⁻¹(x − αμ), so
   * ∇·f̃ = f(t)·D + ½g² Σ_i 1/(α²λ_i + σ²) at every x: a closed form for the exact estimator.
   */
  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void exactDivergenceMatchesGaussianClosedForm(Sde sde) {
    GaussianMixture g = Mixtures.diagonal(D, 11).component(2);
    double[] lambda = new double[D];
    double[][] cov = g.covariance(0);
    for (int i = 0; i < D; i++) {
      lambda[i] = cov[i][i];
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = g.sample(m, 3, Rng.of(1, 3)).x();
      ReverseSde flow = sde.reverse(new GaussianMixtureScore(g, sde), true);
      for (double t : new double[] {1e-3, 0.3, 0.9}) {
        NDArray probes = DivergenceEstimator.EXACT.probes(m, null, 3, D, 1);
        float[] div = FlowDivergence.evaluate(flow::drift, x, Times.filled(x, t), probes).divergence()
            .sum(new int[] {1}).toFloatArray();
        double a = sde.meanCoefficient(t);
        double s = sde.marginalStd(t);
        double g2 = sde.diffusion(t) * sde.diffusion(t);
        double expected = sde.driftCoefficient(t) * D;
        for (int i = 0; i < D; i++) {
          expected += 0.5 * g2 / (a * a * lambda[i] + s * s);
        }
        for (float v : div) {
          assertEquals(expected, v, 1e-4 * Math.abs(expected) + 1e-4, sde.kind() + " t=" + t);
        }
      }
    }
  }

  /**
   * At a fixed (x, t) of a 16-D mixture (non-diagonal Jacobian: the component posterior couples the
   * coordinates), Hutchinson's per-probe values average to tr(∂f̃/∂x) within 4 standard errors, and their
   * variance is the theoretical one: ½Σ_{i≠j}(J_ij + J_ji)² for Rademacher, ½Σ_{ij}(J_ij + J_ji)² for Gaussian.
   */
  @ParameterizedTest
  @EnumSource(value = DivergenceEstimator.class, names = {"RADEMACHER", "GAUSSIAN"})
  void hutchinsonIsUnbiasedWithTheTheoreticalVariance(DivergenceEstimator kind) {
    Sde sde = VpSde.paper();
    GaussianMixture g = Mixtures.diagonal(D, 11);
    int n = 4000;
    try (NDManager m = NDManager.newBaseManager()) {
      ReverseSde flow = sde.reverse(new GaussianMixtureScore(g, sde), true);
      // Midway between two components' means at time t, where the posterior is split.
      double alpha = sde.meanCoefficient(0.3);
      float[] mid = new float[D];
      for (int i = 0; i < D; i++) {
        mid[i] = (float) (alpha * (g.mean(0)[i] + g.mean(1)[i]) / 2);
      }
      NDArray x = m.create(mid, new Shape(1, D));
      NDArray t = Times.filled(x, 0.3);
      double[][] j = jacobian(flow, x, t);
      double trace = 0;
      double variance = 0;
      for (int a = 0; a < D; a++) {
        trace += j[a][a];
        for (int b = 0; b < D; b++) {
          double sym = j[a][b] + j[b][a];
          variance += (kind == DivergenceEstimator.RADEMACHER && a == b) ? 0 : 0.5 * sym * sym;
        }
      }
      float exact = FlowDivergence.evaluate(flow::drift, x, t, DivergenceEstimator.EXACT.probes(m, null, 1, D, 1))
          .divergence().sum().getFloat();
      assertEquals(trace, exact, 1e-5 * Math.abs(trace) + 1e-4, "exact estimator vs trace of the Jacobian");

      float[] v = FlowDivergence.evaluate(flow::drift, x, t, kind.probes(m, Rng.of(9, 1), 1, D, n))
          .divergence().toFloatArray();
      double mean = 0;
      for (float e : v) {
        mean += e;
      }
      mean /= n;
      double ss = 0;
      for (float e : v) {
        ss += (e - mean) * (e - mean);
      }
      double sampleVariance = ss / (n - 1);
      double se = Math.sqrt(sampleVariance / n);
      System.out.printf("%s: trace %.4f, mean %.4f, se %.4f, variance %.3f (theory %.3f)%n",
          kind, trace, mean, se, sampleVariance, variance);
      assertTrue(variance > 1, "the Jacobian should be far from diagonal here, variance " + variance);
      assertEquals(trace, mean, 4 * se, "Hutchinson mean over " + n + " probes");
      assertEquals(variance, sampleVariance, 0.2 * variance, "Hutchinson variance");
    }
  }

  /** The full Jacobian J_ab = ∂f̃_a/∂x_b of one row, by D vector-Jacobian products (rows e_aᵀJ). */
  private static double[][] jacobian(ReverseSde flow, NDArray x, NDArray t) {
    return Autograd.withGradient(gc -> {
      try (NDManager scope = x.getManager().newSubManager()) {
        NDArray leaf = scope.zeros(new Shape(D, D)).add(x.reshape(1, D));
        leaf.setRequiresGradient(true);
        NDArray f = flow.drift(leaf, scope.full(new Shape(D), t.getFloat(0)));
        gc.backward(f.mul(scope.eye(D)).sum());
        float[] rows = leaf.getGradient().toFloatArray();
        double[][] j = new double[D][D];
        for (int a = 0; a < D; a++) {
          for (int b = 0; b < D; b++) {
            j[a][b] = rows[a * D + b];
          }
        }
        return j;
      }
    });
  }
}
