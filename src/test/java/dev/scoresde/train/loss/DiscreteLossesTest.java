package dev.scoresde.train.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;
import org.junit.jupiter.api.Test;

/** The SMLD and DDPM objectives and label dropout against values computed by hand from the same draws. */
class DiscreteLossesTest {
  static final float[] X0 = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f, 0f, 1f, -2f}; // (3, 3)
  static final int ROWS = 3;
  static final int D = 3;

  @Test
  void smldMatchesHandComputedValue() {
    VeSde ve = new VeSde(0.01, 50, 10);
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableNetwork net = LossFixtures.network(m, ve, (x, c) -> x.mul(-0.3f).add(c.reshape(-1, 1).mul(0.2f)));
      NDArray x0 = m.create(X0, new Shape(ROWS, D));
      double got = new SmldLoss(Reduction.SUM, 0).loss(net, new Batch(x0, null), Rng.of(3, ROWS)).getFloat();

      Rng rng = Rng.of(3, ROWS);
      float[] u = rng.uniform(m, new Shape(ROWS)).toFloatArray();
      float[] z = rng.normal(m, new Shape(ROWS, D)).toFloatArray();
      double want = 0;
      for (int r = 0; r < ROWS; r++) {
        int i = (int) Math.floor(u[r] * 10.0);
        double sigma = ve.discreteSigma(i);
        double acc = 0;
        for (int k = 0; k < D; k++) {
          double xt = X0[D * r + k] + sigma * z[D * r + k];
          double score = (-0.3 * xt + 0.2 * sigma) / sigma; // VE: s = net(x, σ)/σ
          double e = score + z[D * r + k] / sigma; // target −z/σ
          acc += e * e;
        }
        want += 0.5 * acc * sigma * sigma / ROWS;
      }
      assertEquals(want, got, 2e-5 * Math.abs(want));
    }
  }

  @Test
  void ddpmMatchesHandComputedValue() {
    VpSde vp = new VpSde(0.1, 20, 10);
    try (NDManager m = NDManager.newBaseManager()) {
      TrainableNetwork net = LossFixtures.network(m, vp, (x, c) -> x.mul(0.4f).add(c.reshape(-1, 1).mul(0.01f)));
      NDArray x0 = m.create(X0, new Shape(ROWS, D));
      double got = new DdpmLoss(Reduction.MEAN, 0).loss(net, new Batch(x0, null), Rng.of(4, ROWS)).getFloat();

      Rng rng = Rng.of(4, ROWS);
      float[] u = rng.uniform(m, new Shape(ROWS)).toFloatArray();
      float[] z = rng.normal(m, new Shape(ROWS, D)).toFloatArray();
      double want = 0;
      for (int r = 0; r < ROWS; r++) {
        int i = (int) Math.floor(u[r] * 10.0);
        double alphaBar = vp.schedule().alphaBar(i);
        double cond = (float) (999.0 * (float) (i / 9.0)); // 999·t_i
        double acc = 0;
        for (int k = 0; k < D; k++) {
          double xi = Math.sqrt(alphaBar) * X0[D * r + k] + Math.sqrt(1 - alphaBar) * z[D * r + k];
          double e = 0.4 * xi + 0.01 * cond - z[D * r + k];
          acc += e * e;
        }
        want += acc / D / ROWS;
      }
      assertEquals(want, got, 2e-5 * Math.abs(want));
    }
  }

  @Test
  void discreteLossesRefuseTheWrongSde() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x0 = m.create(X0, new Shape(ROWS, D));
      TrainableNetwork onVp = LossFixtures.network(m, VpSde.paper(), (x, c) -> x);
      TrainableNetwork onVe = LossFixtures.network(m, VeSde.paper(), (x, c) -> x);
      assertThrows(IllegalArgumentException.class,
          () -> new SmldLoss(Reduction.SUM, 0).loss(onVp, new Batch(x0, null), Rng.of(1, ROWS)));
      assertThrows(IllegalArgumentException.class,
          () -> new DdpmLoss(Reduction.SUM, 0).loss(onVe, new Batch(x0, null), Rng.of(1, ROWS)));
    }
  }

  @Test
  void labelDropoutReplacesLabelsByTheNoLabelTokenWithProbabilityP() {
    int n = 20000;
    try (NDManager m = NDManager.newBaseManager()) {
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i % 10;
      }
      NDArray l = m.create(labels);
      NDArray like = m.zeros(new Shape(n, 2));
      int[] dropped = LabelDropout.apply(l, 10, 0.3, Rng.of(2, n), like).toIntArray();
      int count = 0;
      for (int i = 0; i < n; i++) {
        if (dropped[i] == 10) {
          count++;
        } else {
          assertEquals(labels[i], dropped[i]);
        }
      }
      assertEquals(0.3, count / (double) n, 0.015);
      assertArrayEquals(labels, LabelDropout.apply(l, 10, 0, Rng.of(2, n), like).toIntArray());
      int[] all = LabelDropout.apply(l, 10, 1, Rng.of(2, n), like).toIntArray();
      assertEquals(10 * n, java.util.Arrays.stream(all).sum());
      int[] unlabelled = LabelDropout.apply(null, 10, 0, Rng.of(2, n), like).toIntArray();
      assertEquals(10 * n, java.util.Arrays.stream(unlabelled).sum());
    }
  }
}
