package dev.scoresde.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.tensor.Doubles;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SdeTest {

  /**
   * For a linear SDE the moments obey α' = f α and (σ²)' = 2 f σ² + g² (Särkkä &amp; Solin, Eq. 5.50–5.51;
   * the paper's Eq. 33 for VP): drift and diffusion must agree with the closed-form marginals.
   */
  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void marginalsSolveTheMomentOdesOfDriftAndDiffusion(Sde sde) {
    double h = 1e-6;
    for (double t : new double[] {0.05, 0.3, 0.6, 0.95}) {
      double a = sde.meanCoefficient(t);
      double da = (sde.meanCoefficient(t + h) - sde.meanCoefficient(t - h)) / (2 * h);
      assertEquals(sde.driftCoefficient(t) * a, da, 1e-6 * (1 + Math.abs(da)), "α' at t=" + t);
      double v = sq(sde.marginalStd(t));
      double dv = (sq(sde.marginalStd(t + h)) - sq(sde.marginalStd(t - h))) / (2 * h);
      double rhs = 2 * sde.driftCoefficient(t) * v + sq(sde.diffusion(t));
      assertEquals(rhs, dv, 1e-5 * (1 + Math.abs(dv)), "(σ²)' at t=" + t);
    }
  }

  /**
   * Runs the discretized forward chain (SMLD for VE, DDPM for VP, Euler–Maruyama for sub-VP) from mixture
   * data and compares the empirical mean and the std of x_i − α(t_i)x_0 with the closed-form marginal at
   * t_i = i/(N−1). Tolerance: 5 Monte-Carlo standard errors plus the chains' O(1/N) discretization gap.
   */
  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void discretizedChainMatchesClosedFormMarginals(Sde sde) {
    int n = 4000;
    int d = 2;
    GaussianMixture data = GaussianMixture.diagonal(new double[] {0.4, 0.6},
        new double[][] {{2, -1}, {-1, 1.5}}, new double[][] {{0.2, 0.5}, {0.3, 0.1}});
    try (NDManager m = NDManager.newBaseManager()) {
      Rng rng = Rng.of(11, n);
      NDArray x0 = data.sample(m, n, rng).x();
      double[] mean0 = columnMeans(x0);
      NDArray x = x0.duplicate();
      int steps = sde.steps();
      for (int i = 0; i < steps; i++) {
        double t = i / (double) (steps - 1);
        NDArray tt = m.full(new Shape(n), (float) t);
        NDArray next;
        try (NDManager scope = m.newSubManager()) {
          x.tempAttach(scope);
          tt.tempAttach(scope);
          Discretization step = sde.discretize(x, tt);
          next = x.add(step.f()).add(rng.normal(scope, x.getShape()).mul(step.g()));
          next.attach(m);
        }
        x.close();
        tt.close();
        x = next;
        if (i == 99 || i == 499 || i == steps - 1) {
          double alpha = sde.meanCoefficient(t);
          double std = sde.marginalStd(t);
          double[] mean = columnMeans(x);
          NDArray noise = x.sub(x0.mul(alpha));
          double[] noiseStd = columnStds(noise);
          for (int j = 0; j < d; j++) {
            double scale = Math.sqrt(sq(alpha) * 1.5 + sq(std));
            assertEquals(alpha * mean0[j], mean[j], 5 * scale / Math.sqrt(n) + 0.01 * scale, "mean at t=" + t);
            assertEquals(std, noiseStd[j], 5 * std / Math.sqrt(2.0 * n) + 0.01 * std, "std at t=" + t);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.scoresde.sde.PaperSdes#all")
  void priorLogDensityIsTheIsotropicGaussian(Sde sde) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z = sde.priorSample(m, new Shape(3, 4), Rng.of(5, 3));
      float[] zs = z.toFloatArray();
      float[] lp = sde.priorLogp(z).toFloatArray();
      double s2 = sq(sde.priorStd());
      for (int r = 0; r < 3; r++) {
        double q = 0;
        for (int j = 0; j < 4; j++) {
          q += sq(zs[4 * r + j]);
        }
        double exact = -q / (2 * s2) - 2 * Math.log(2 * Math.PI * s2);
        assertEquals(exact, lp[r], 1e-4 * Math.abs(exact));
      }
    }
  }

  @Test
  void chainsStartAtTheirFirstLevel() {
    VeSde ve = VeSde.paper();
    assertEquals(0.01, ve.discreteStep(0).diffusion(), 1e-12);
    assertEquals(50, ve.discreteSigma(999), 1e-9);
    VpSde vp = VpSde.paper();
    assertEquals(Math.sqrt(0.1 / 1000), vp.discreteStep(0).diffusion(), 1e-12);
    assertEquals(1 - 20.0 / 1000, vp.langevinAlpha(1.0), 1e-12);
    assertEquals(999, vp.timestep(1.0));
  }

  @Test
  void invalidParametersAreRejectedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> new VeSde(50, 0.01, 1000));
    assertThrows(IllegalArgumentException.class, () -> new VpSde(0.1, 20, 1));
    assertThrows(IllegalArgumentException.class, () -> SdeKind.parse("vx"));
    assertEquals(SdeKind.SUBVP, SdeKind.parse("sub-VP"));
  }

  private static double[] columnMeans(NDArray x) {
    return Doubles.of(x.mean(new int[] {0}));
  }

  private static double[] columnStds(NDArray x) {
    NDArray c = x.sub(x.mean(new int[] {0}, true));
    return Doubles.of(c.square().mean(new int[] {0}).sqrt());
  }

  private static double sq(double v) {
    return v * v;
  }
}
