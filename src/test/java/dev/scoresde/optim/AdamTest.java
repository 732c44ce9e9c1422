package dev.scoresde.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.scoresde.checkpoint.NamedParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamTest {

  /** Sets the gradient of w to g through a backward pass of the loss Σ g ⊙ w. */
  private static void gradients(NDManager m, List<NDArray> ws, List<float[]> gs) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (int i = 0; i < ws.size(); i++) {
        NDArray term = ws.get(i).mul(m.create(gs.get(i), ws.get(i).getShape())).sum();
        loss = loss == null ? term : loss.add(term);
      }
      gc.backward(loss);
    }
  }

  /** PyTorch's Adam, in double: θ −= lr/(1−β₁ᵏ) · m / (sqrt(v/(1−β₂ᵏ)) + ε). */
  @Test
  void fusedUpdateMatchesTextbookAdamWithWarmup() {
    AdamSettings s = new AdamSettings(0.01, 0.9, 0.999, 1e-8, 4, 0);
    float[][] grads = {{1f, -2f, 0.5f}, {0.1f, 3f, -1f}, {-0.2f, 0.2f, 0.0f}, {2f, 1f, -3f}, {0.3f, -0.3f, 1f}};
    double[] w = {1, -1, 0.5};
    double[] mm = new double[3];
    double[] vv = new double[3];
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray p = m.create(new float[] {1, -1, 0.5f});
      p.setRequiresGradient(true);
      Adam adam = new Adam(s, new NamedParameters(List.of("p"), List.of(p)), m);
      for (int k = 0; k < grads.length; k++) {
        gradients(m, List.of(p), List.of(grads[k]));
        try (NDManager scope = m.newSubManager()) {
          Adam.Update u = adam.update(scope);
          assertEquals(0.01 * Math.min((k + 1) / 4.0, 1), u.learningRate(), 1e-15);
        }
        double lr = s.learningRate(k);
        for (int i = 0; i < 3; i++) {
          mm[i] = 0.9 * mm[i] + 0.1 * grads[k][i];
          vv[i] = 0.999 * vv[i] + 0.001 * grads[k][i] * grads[k][i];
          double bc1 = 1 - Math.pow(0.9, k + 1);
          double bc2 = 1 - Math.pow(0.999, k + 1);
          w[i] -= lr / bc1 * mm[i] / (Math.sqrt(vv[i] / bc2) + 1e-8);
        }
        float[] got = p.toFloatArray();
        for (int i = 0; i < 3; i++) {
          assertEquals(w[i], got[i], 1e-6, "step " + k + " element " + i);
        }
        assertArrayEquals(new float[] {0, 0, 0}, p.getGradient().toFloatArray(), "update zeroes the gradient");
      }
      assertEquals(grads.length, adam.step());
    }
  }

  @Test
  void clippingScalesAllGradientsByTheGlobalNorm() {
    AdamSettings s = new AdamSettings(0.01, 0.9, 0.999, 1e-8, 0, 1.0);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {3, 4});
      NDArray b = m.create(new float[] {12});
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      Adam adam = new Adam(s, new NamedParameters(List.of("a", "b"), List.of(a, b)), m);
      gradients(m, List.of(a, b), List.of(new float[] {3, 4}, new float[] {12}));
      try (NDManager scope = m.newSubManager()) {
        Adam.Update u = adam.update(scope);
        assertEquals(13, u.gradNorm(), 1e-5);
        assertEquals(1 / (13 + 1e-6), u.clipScale(), 1e-9);
      }
      // the first moment holds (1 − β₁)·clipped gradient
      assertArrayEquals(new float[] {0.1f * 3 / 13, 0.1f * 4 / 13},
          adam.firstMoments().arrays().get(0).toFloatArray(), 1e-7f);
      assertArrayEquals(new float[] {0.1f * 12 / 13}, adam.firstMoments().arrays().get(1).toFloatArray(), 1e-7f);
    }
  }

  @Test
  void frozenParametersAreNeverUpdated() {
    AdamSettings s = new AdamSettings(0.1, 0.9, 0.999, 1e-8, 0, 1.0);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray trained = m.create(new float[] {1, 2});
      NDArray frozen = m.create(new float[] {3, 4});
      trained.setRequiresGradient(true);
      Adam adam = new Adam(s, new NamedParameters(List.of("t", "f"), List.of(trained, frozen)), m);
      gradients(m, List.of(trained, frozen), List.of(new float[] {1, 1}, new float[] {1, 1}));
      try (NDManager scope = m.newSubManager()) {
        adam.update(scope);
      }
      assertArrayEquals(new float[] {3, 4}, frozen.toFloatArray());
      assertArrayEquals(new float[] {0.9f, 1.9f}, trained.toFloatArray(), 1e-6f);
    }
  }

  @Test
  void warmupIsLinearFromTheFirstStep() {
    AdamSettings s = new AdamSettings(2e-4, 0.9, 0.999, 1e-8, 5000, 1);
    assertEquals(2e-4 / 5000, s.learningRate(0), 1e-18);
    assertEquals(1e-4, s.learningRate(2499), 1e-15);
    assertEquals(2e-4, s.learningRate(4999), 1e-18);
    assertEquals(2e-4, s.learningRate(1_000_000), 1e-18);
    assertEquals(2e-4, new AdamSettings(2e-4, 0.9, 0.999, 1e-8, 0, 1).learningRate(0), 1e-18);
  }
}
