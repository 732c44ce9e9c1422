package dev.scoresde.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatentPathTest {
  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  @Test
  void bothPathsStartAndEndAtTheEndpoints() {
    float[] a = {1, 2, 3};
    float[] b = {-2, 0, 5};
    for (LatentPath.Method m : LatentPath.Method.values()) {
      float[][] f = LatentPath.frames(a, b, 5, m);
      assertArrayEquals(a, f[0], 1e-6f);
      assertArrayEquals(b, f[4], 1e-6f);
    }
  }

  @Test
  void slerpKeepsTheNormBetweenOrthogonalEqualNormLatentsWhereLinearShrinksIt() {
    float[] a = {3, 0};
    float[] b = {0, 3};
    assertEquals(3, norm(LatentPath.slerp(a, b, 0.5)), 1e-6, "on the circle");
    assertEquals(3 / Math.sqrt(2), norm(LatentPath.linear(a, b, 0.5)), 1e-6, "on the chord");
    assertArrayEquals(new float[] {3 * (float) Math.cos(Math.PI / 6), 3 * (float) Math.sin(Math.PI / 6)},
        LatentPath.slerp(a, b, 1 / 3.0), 1e-6f, "uniform in angle");
  }

  @Test
  void parallelLatentsFallBackToLinear() {
    float[] a = {1, 1};
    float[] b = {2, 2};
    assertArrayEquals(LatentPath.linear(a, b, 0.25), LatentPath.slerp(a, b, 0.25), 1e-6f);
  }
}
