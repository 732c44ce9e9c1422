package dev.scoresde.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.Test;

class GroupNormTest {

  @Test
  void matchesNaivePerGroupNormalisationWithPerChannelAffine() {
    int b = 3;
    int c = 12; // min(12/4, 32) = 3 groups of 4 channels
    int h = 5;
    int w = 4;
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm norm = new GroupNorm(c);
      assertEquals(3, norm.groups);
      Networks.initialize(norm, m, 0, new Shape(b, c, h, w));
      float[] gamma = new float[c];
      float[] beta = new float[c];
      for (int i = 0; i < c; i++) {
        gamma[i] = 0.5f + i;
        beta[i] = -1f + 0.25f * i;
      }
      for (Parameter p : norm.getDirectParameters().values()) {
        p.getArray().set(p.getName().equals("gamma") ? gamma : beta);
      }
      NDArray x = Rng.of(3, b).normal(m, new Shape(b, c, h, w)).mul(3).add(2);
      float[] y = norm.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();

      float[] xv = x.toFloatArray();
      int per = c / 3 * h * w;
      float[] expected = new float[xv.length];
      for (int n = 0; n < b; n++) {
        for (int g = 0; g < 3; g++) {
          int start = (n * 3 + g) * per;
          double mean = 0;
          for (int i = 0; i < per; i++) {
            mean += xv[start + i];
          }
          mean /= per;
          double var = 0;
          for (int i = 0; i < per; i++) {
            var += (xv[start + i] - mean) * (xv[start + i] - mean);
          }
          var /= per; // biased, as torch.nn.GroupNorm
          for (int i = 0; i < per; i++) {
            int channel = (start + i) / (h * w) % c;
            expected[start + i] = (float) ((xv[start + i] - mean) / Math.sqrt(var + 1e-6) * gamma[channel] + beta[channel]);
          }
        }
      }
      assertArrayEquals(expected, y, 1e-4f);
    }
  }

  @Test
  void usesMinOfQuarterChannelsAnd32Groups() {
    assertEquals(1, new GroupNorm(4).groups);
    assertEquals(16, new GroupNorm(64).groups);
    assertEquals(32, new GroupNorm(256).groups);
    assertThrows(IllegalArgumentException.class, () -> new GroupNorm(144)); // 32 groups do not divide 144
  }
}
