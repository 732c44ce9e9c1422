package dev.scoresde.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.NamedParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmaTest {

  @Test
  void averageFollowsTheRecurrenceExactlyInFloat32() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray live = m.create(new float[] {1f, -2f, 0.3f});
      NDArray shadow = m.create(new float[] {0f, 0f, 0f});
      Ema ema = new Ema(0.999, true, new NamedParameters(List.of("w"), List.of(live)),
          new NamedParameters(List.of("w"), List.of(shadow)));
      ema.reset();
      float[] s = {1f, -2f, 0.3f};
      assertArrayEquals(s, shadow.toFloatArray());
      float[][] lives = {{1.5f, -1f, 0.2f}, {0.7f, 3f, -0.1f}, {2f, 2f, 2f}, {-1f, 0.25f, 8f}};
      for (int n = 1; n <= lives.length; n++) {
        live.set(lives[n - 1]);
        ema.update();
        double d = Math.min(0.999, (1.0 + n) / (10.0 + n));
        float f = (float) (1 - d);
        for (int i = 0; i < 3; i++) {
          s[i] = s[i] - f * (s[i] - lives[n - 1][i]);
        }
        assertArrayEquals(s, shadow.toFloatArray(), "update " + n);
      }
      assertEquals(4, ema.updates());
    }
  }

  @Test
  void decayWarmsUpToTheConfiguredRate() {
    try (NDManager m = NDManager.newBaseManager()) {
      NamedParameters p = new NamedParameters(List.of("w"), List.of(m.zeros(new ai.djl.ndarray.types.Shape(1))));
      NamedParameters q = new NamedParameters(List.of("w"), List.of(m.zeros(new ai.djl.ndarray.types.Shape(1))));
      Ema warm = new Ema(0.9999, true, p, q);
      assertEquals(2.0 / 11, warm.decay(1), 1e-15);
      assertEquals(0.9999, warm.decay(1_000_000), 1e-15);
      assertEquals(0.9999, new Ema(0.9999, false, p, q).decay(1), 1e-15);
    }
  }
}
