package dev.scoresde.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sde.VeSde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.testnet.TestNetworks;
import dev.scoresde.data.Batch;
import org.junit.jupiter.api.Test;

class ClassifierLossTest {

  @Test
  void crossEntropyOnPerturbedDataMatchesHandComputedValue() {
    float[] x = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f}; // (3, 2)
    int[] labels = {2, 0, 1};
    double eps = 1e-3;
    VeSde ve = new VeSde(0.01, 2, 100);
    try (NDManager m = NDManager.newBaseManager()) {
      // logits (x0 + x1, x0 − x1, log σ)
      TrainableNetwork net = LossFixtures.network(m, ve, TestNetworks.classifier(2, 0, 4, 3), (xs, c) -> {
        NDArray a = xs.get(":, 0");
        NDArray b = xs.get(":, 1");
        return NDArrays.stack(new NDList(a.add(b), a.sub(b), c.log()), 1);
      });
      Batch batch = new Batch(m.create(x, new Shape(3, 2)), m.create(labels));
      double got = new ClassifierLoss(eps).loss(net, batch, Rng.of(8, 3)).getFloat();

      Rng rng = Rng.of(8, 3);
      float[] u = rng.uniform(m, new Shape(3)).toFloatArray();
      float[] z = rng.normal(m, new Shape(3, 2)).toFloatArray();
      double want = 0;
      for (int r = 0; r < 3; r++) {
        double t = (float) (u[r] * (1 - eps) + eps);
        double sigma = (float) ve.sigma(t);
        double a = x[2 * r] + sigma * z[2 * r];
        double b = x[2 * r + 1] + sigma * z[2 * r + 1];
        double[] logits = {a + b, a - b, Math.log(sigma)};
        double lse = Math.log(Math.exp(logits[0]) + Math.exp(logits[1]) + Math.exp(logits[2]));
        want += (lse - logits[labels[r]]) / 3;
      }
      assertEquals(want, got, 1e-5 * Math.abs(want));
    }
  }
}
