package dev.scoresde.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;
import org.junit.jupiter.api.Test;

class DenoisingScoreMatchingTest {
  static final float[] X0 = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f}; // (2, 3): d = 3 tells MEAN from SUM
  static final int ROWS = 2;
  static final int D = 3;
  static final double EPS = 1e-5;

  /** The loss recomputed in double from the same draws, for raw = 0.5·x + 0.1·cond. */
  static double handComputed(Sde sde, Reduction reduction, boolean likelihood, long seed) {
    try (NDManager m = NDManager.newBaseManager()) {
      Rng rng = Rng.of(seed, ROWS);
      float[] u = rng.uniform(m, new Shape(ROWS)).toFloatArray();
      float[] z = rng.normal(m, new Shape(ROWS, D)).toFloatArray();
      double total = 0;
      for (int r = 0; r < ROWS; r++) {
        double t = (float) (u[r] * (1 - EPS) + EPS);
        double std = (float) sde.marginalStd(t);
        double mean = (float) sde.meanCoefficient(t);
        boolean ve = sde instanceof VeSde;
        double cond = ve ? std : (float) (999 * t);
        double acc = 0;
        for (int i = 0; i < D; i++) {
          double xt = mean * X0[D * r + i] + std * z[D * r + i];
          double raw = 0.5 * xt + 0.1 * cond;
          double score = ve ? raw / std : -raw / std;
          double e = likelihood ? score + z[D * r + i] / std : score * std + z[D * r + i];
          acc += e * e;
        }
        double perRow = reduction == Reduction.MEAN ? acc / D : acc / 2;
        if (likelihood) {
          double g = sde.diffusion(t);
          perRow *= g * g;
        }
        total += perRow;
      }
      return total / ROWS;
    }
  }

  static double computed(Sde sde, Reduction reduction, boolean likelihood, long seed) {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableNetwork net = LossFixtures.network(m, sde, (x, c) -> x.mul(0.5f).add(c.reshape(-1, 1).mul(0.1f)));
      NDArray x0 = m.create(X0, new Shape(ROWS, D));
      return new DenoisingScoreMatching(reduction, likelihood, EPS, 0)
          .loss(net, new Batch(x0, null), Rng.of(seed, ROWS)).getFloat();
    }
  }

  @Test
  void matchesHandComputedValueForVeVpReductionsAndWeightings() {
    for (Sde sde : new Sde[] {new VeSde(0.01, 50, 1000), VpSde.paper()}) {
      for (Reduction red : Reduction.values()) {
        for (boolean lik : new boolean[] {false, true}) {
          double want = handComputed(sde, red, lik, 11);
          double got = computed(sde, red, lik, 11);
          assertEquals(want, got, 2e-5 * Math.abs(want) + 1e-6, sde.kind() + " " + red + " likelihood=" + lik);
        }
      }
    }
  }

  /**
   * For data N(0, s²I) under VE the perturbed marginal is N(0, (s² + σ²)I); the DSM objective (Eq. 7) is
   * minimized by its exact score, with minimum E_t[s²/(s² + σ(t)²)] per dimension (mean reduction):
   * E‖σ s* + z‖²/d = 1 − σ² E‖s*‖²/d.
   */
  @Test
  void exactScoreOfGaussianDataAttainsTheKnownMinimum() {
    double s = 0.7;
    VeSde sde = new VeSde(0.01, 10, 1000);
    int n = 20000;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x0 = Rng.of(5, n).normal(m, new Shape(n, 2)).mul((float) s);
      Batch batch = new Batch(x0, null);
      double[] losses = new double[3];
      double[] factors = {1.0, 0.8, 1.25};
      for (int k = 0; k < 3; k++) {
        float f = (float) factors[k];
        // raw = σ·s*(x) = −σ x/(s² + σ²), with cond = σ
        TrainableNetwork net = LossFixtures.network(m, sde, (x, c) -> {
          NDArray sigma = c.reshape(-1, 1);
          return x.mul(sigma).div(sigma.square().add((float) (s * s))).neg().mul(f);
        });
        losses[k] = new DenoisingScoreMatching(Reduction.MEAN, false, EPS, 0)
            .loss(net, batch, Rng.of(9, n)).getFloat();
      }
      double minimum = 0;
      int grid = 100000;
      for (int i = 0; i < grid; i++) {
        double t = EPS + (1 - EPS) * (i + 0.5) / grid;
        double sig = sde.sigma(t);
        minimum += s * s / (s * s + sig * sig) / grid;
      }
      assertEquals(minimum, losses[0], 0.02, "Monte-Carlo DSM at the exact score vs its analytic minimum");
      assertTrue(losses[0] < losses[1] && losses[0] < losses[2],
          "exact " + losses[0] + " vs shrunk " + losses[1] + " vs stretched " + losses[2]);
    }
  }
}
