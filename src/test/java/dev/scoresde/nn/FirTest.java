package dev.scoresde.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.tensor.Doubles;
import dev.scoresde.tensor.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FIR and plain resampling against per-pixel references written from the reference code's definitions. */
class FirTest {
  private static final int B = 2;
  private static final int C = 3;
  private static final int H = 6;
  private static final int W = 8;
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static NDArray random(Shape shape, long seed) {
    return Rng.of(seed, Math.toIntExact(shape.get(0))).normal(manager, shape);
  }

  private static double[][][][] naive(NDArray a) {
    Shape s = a.getShape();
    return Naive.reshape4(a.toFloatArray(), (int) s.get(0), (int) s.get(1), (int) s.get(2), (int) s.get(3));
  }

  @Test
  void firDownsampleMatchesUpfirdnWithDown2Pad11() {
    NDArray x = random(new Shape(B, C, H, W), 1);
    double[][][] expected = Naive.upfirdn(Naive.flatten(naive(x)), Naive.firKernel(1), 1, 2, 1, 1);
    NDArray y = Fir.downsample(x);
    assertEquals(new Shape(B, C, H / 2, W / 2), y.getShape());
    assertArrayEquals(Naive.flat(Naive.unflatten(expected, B)), Doubles.of(y), 1e-5);
  }

  @Test
  void firUpsampleMatchesUpfirdnWithUp2Pad21() {
    NDArray x = random(new Shape(B, C, H, W), 2);
    double[][][] expected = Naive.upfirdn(Naive.flatten(naive(x)), Naive.firKernel(4), 2, 1, 2, 1);
    NDArray y = Fir.upsample(x);
    assertEquals(new Shape(B, C, 2 * H, 2 * W), y.getShape());
    assertArrayEquals(Naive.flat(Naive.unflatten(expected, B)), Doubles.of(y), 1e-5);
  }

  @Test
  void convDownsampleMatchesBlurThenStridedConv() {
    NDArray x = random(new Shape(B, C, H, W), 3);
    NDArray w = random(new Shape(5, C, 3, 3), 4);
    NDArray b = random(new Shape(5), 5);
    double[][][][] blurred = Naive.unflatten(Naive.upfirdn(Naive.flatten(naive(x)), Naive.firKernel(1), 1, 1, 2, 2), B);
    double[][][][] expected = Naive.conv(blurred, naive(w.reshape(5, C, 3, 3)), Doubles.of(b), 2, 0);
    NDArray y = Fir.convDownsample(x, w, b);
    assertEquals(new Shape(B, 5, H / 2, W / 2), y.getShape());
    assertArrayEquals(Naive.flat(expected), Doubles.of(y), 1e-4);
  }

  @Test
  void upsampleConvMatchesTransposedConvThenFir() {
    NDArray x = random(new Shape(B, C, H, W), 6);
    NDArray w = random(new Shape(5, C, 3, 3), 7);
    NDArray b = random(new Shape(5), 8);
    // Reference upsample_conv_2d: conv_transpose2d(x, flip(w) as (in, out, k, k), stride 2), then upfirdn2d(4k, pad (1,1)).
    double[][][][] wv = naive(w);
    double[][][][] wt = new double[C][5][3][3];
    for (int o = 0; o < 5; o++) {
      for (int c = 0; c < C; c++) {
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            wt[c][o][i][j] = wv[o][c][2 - i][2 - j];
          }
        }
      }
    }
    double[][][][] t = Naive.convTranspose(naive(x), wt, 2);
    double[][][][] expected = Naive.unflatten(Naive.upfirdn(Naive.flatten(t), Naive.firKernel(4), 1, 1, 1, 1), B);
    double[] bias = Doubles.of(b);
    for (double[][][] row : expected) {
      for (int o = 0; o < 5; o++) {
        for (double[] line : row[o]) {
          for (int i = 0; i < line.length; i++) {
            line[i] += bias[o];
          }
        }
      }
    }
    NDArray y = Fir.upsampleConv(x, w, b);
    assertEquals(new Shape(B, 5, 2 * H, 2 * W), y.getShape());
    assertArrayEquals(Naive.flat(expected), Doubles.of(y), 1e-4);
  }

  @Test
  void plainResamplingIsNearestAndTwoByTwoMean() {
    NDArray x = random(new Shape(1, 1, 2, 2), 9);
    float[] v = x.toFloatArray();
    assertArrayEquals(new float[] {v[0], v[0], v[1], v[1], v[0], v[0], v[1], v[1], v[2], v[2], v[3], v[3], v[2], v[2],
        v[3], v[3]}, Fir.nearestUpsample(x).toFloatArray(), 0f);
    assertArrayEquals(new float[] {(v[0] + v[1] + v[2] + v[3]) / 4}, Fir.meanDownsample(x).toFloatArray(), 1e-6f);
  }
}
