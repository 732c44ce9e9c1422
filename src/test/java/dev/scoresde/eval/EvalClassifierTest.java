package dev.scoresde.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.scoresde.nn.Networks;
import dev.scoresde.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EvalClassifierTest {

  /** 28² → 14² → 7²: logits (b, 10) and 256 pooled features; the parameter count is hand-counted. */
  @Test
  void shippedSpecGivesLogitsAndFeaturesOfTheDocumentedShapes() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = Networks.create(EvalClassifier.SPEC);
      Networks.initialize(net, EvalClassifier.SPEC, m, 1);
      NDList out = EvalClassifier.of(net, EvalClassifier.SPEC, m).forward(m.ones(new Shape(3, 1, 28, 28)));
      assertEquals(new Shape(3, 10), out.get(0).getShape());
      assertEquals(new Shape(3, 256), out.get(1).getShape());
      // convs 1→16, 16→16, 16→32 (stride 2), 32→32, 32→256 (stride 2) with biases; GroupNorm scale and shift;
      // dense 256→10
      long convs = (9 * 16 + 16) + (9 * 16 * 16 + 16) + (9 * 16 * 32 + 32) + (9 * 32 * 32 + 32) + (9 * 32 * 256 + 256);
      long norms = 2 * (16 + 16 + 32 + 32 + 256);
      assertEquals(convs + norms + 256 * 10 + 10, Networks.parameterCount(net));
    }
  }

  /** Same seed, same network and outputs; another seed, another network; a row's output ignores its batch. */
  @Test
  void isDeterministicPerSeedAndPerRow() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Rng.of(5, 4).uniform(m, new Shape(4, 1, 28, 28));
      float[] a = features(m, 7, x);
      float[] b = features(m, 7, x);
      float[] c = features(m, 8, x);
      assertArrayEquals(a, b);
      assertFalse(Arrays.equals(a, c));
      float[] alone = features(m, 7, x.get("2:3"));
      float[] inBatch = Arrays.copyOfRange(a, 2 * 256, 3 * 256);
      assertArrayEquals(inBatch, alone, 1e-5f);
    }
  }

  /** Features are finite and respond to the input (a blank and a random image differ). */
  @Test
  void featuresDependOnTheImage() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray blank = m.zeros(new Shape(1, 1, 28, 28));
      NDArray noise = Rng.of(1, 1).uniform(m, new Shape(1, 1, 28, 28));
      float[] f0 = features(m, 3, blank);
      float[] f1 = features(m, 3, noise);
      for (float v : f1) {
        assertTrue(Float.isFinite(v));
      }
      assertFalse(Arrays.equals(f0, f1));
    }
  }

  private static float[] features(NDManager m, long seed, NDArray x) {
    Block net = Networks.create(EvalClassifier.SPEC);
    Networks.initialize(net, EvalClassifier.SPEC, m, seed);
    return EvalClassifier.of(net, EvalClassifier.SPEC, m).forward(x).get(1).toFloatArray();
  }
}
