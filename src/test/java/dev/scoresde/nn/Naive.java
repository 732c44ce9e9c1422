package dev.scoresde.nn;

/**
 * Slow, obvious per-pixel reference implementations on (batch·channels, h, w) float arrays, written from
 * the definitions in the reference code (upfirdn2d_native, F.conv2d, F.conv_transpose2d), for tests.
 */
final class Naive {
  private Naive() {}

  /** outer(k, k)/sum for k = (1,3,3,1), times gain. */
  static double[][] firKernel(double gain) {
    double[] k = {1, 3, 3, 1};
    double[][] k2 = new double[4][4];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        k2[i][j] = k[i] * k[j] / 64 * gain;
      }
    }
    return k2;
  }

  /**
   * upfirdn2d: zero-stuff by {@code up}, pad (pad0 before, pad1 after) on both axes, correlate with the
   * flipped kernel, keep every {@code down}-th sample. x [n][h][w].
   */
  static double[][][] upfirdn(double[][][] x, double[][] k, int up, int down, int pad0, int pad1) {
    int n = x.length;
    int h = x[0].length;
    int w = x[0][0].length;
    int kh = k.length;
    int uh = h * up + pad0 + pad1;
    int uw = w * up + pad0 + pad1;
    int oh = (uh - kh) / down + 1;
    int ow = (uw - kh) / down + 1;
    double[][][] out = new double[n][oh][ow];
    for (int c = 0; c < n; c++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double s = 0;
          for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kh; j++) {
              int uy = oy * down + i - pad0;
              int ux = ox * down + j - pad0;
              if (uy < 0 || ux < 0 || uy % up != 0 || ux % up != 0 || uy / up >= h || ux / up >= w) {
                continue;
              }
              s += x[c][uy / up][ux / up] * k[kh - 1 - i][kh - 1 - j];
            }
          }
          out[c][oy][ox] = s;
        }
      }
    }
    return out;
  }

  /** F.conv2d: x [b][cin][h][w], w [cout][cin][k][k], bias [cout]. */
  static double[][][][] conv(double[][][][] x, double[][][][] w, double[] bias, int stride, int pad) {
    int b = x.length;
    int cin = x[0].length;
    int h = x[0][0].length;
    int wd = x[0][0][0].length;
    int cout = w.length;
    int k = w[0][0].length;
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (wd + 2 * pad - k) / stride + 1;
    double[][][][] out = new double[b][cout][oh][ow];
    for (int n = 0; n < b; n++) {
      for (int o = 0; o < cout; o++) {
        for (int y = 0; y < oh; y++) {
          for (int xx = 0; xx < ow; xx++) {
            double s = bias == null ? 0 : bias[o];
            for (int c = 0; c < cin; c++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  int iy = y * stride + i - pad;
                  int ix = xx * stride + j - pad;
                  if (iy >= 0 && ix >= 0 && iy < h && ix < wd) {
                    s += x[n][c][iy][ix] * w[o][c][i][j];
                  }
                }
              }
            }
            out[n][o][y][xx] = s;
          }
        }
      }
    }
    return out;
  }

  /** F.conv_transpose2d with padding 0: x [b][cin][h][w], w [cin][cout][k][k]; out[o] += x[i]·w[o − s·i]. */
  static double[][][][] convTranspose(double[][][][] x, double[][][][] w, int stride) {
    int b = x.length;
    int cin = x[0].length;
    int h = x[0][0].length;
    int wd = x[0][0][0].length;
    int cout = w[0].length;
    int k = w[0][0].length;
    double[][][][] out = new double[b][cout][(h - 1) * stride + k][(wd - 1) * stride + k];
    for (int n = 0; n < b; n++) {
      for (int c = 0; c < cin; c++) {
        for (int y = 0; y < h; y++) {
          for (int xx = 0; xx < wd; xx++) {
            for (int o = 0; o < cout; o++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  out[n][o][y * stride + i][xx * stride + j] += x[n][c][y][xx] * w[c][o][i][j];
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  static double[][][] flatten(double[][][][] x) {
    int b = x.length;
    int c = x[0].length;
    double[][][] out = new double[b * c][][];
    for (int n = 0; n < b; n++) {
      for (int ch = 0; ch < c; ch++) {
        out[n * c + ch] = x[n][ch];
      }
    }
    return out;
  }

  static double[][][][] unflatten(double[][][] x, int b) {
    int c = x.length / b;
    double[][][][] out = new double[b][c][][];
    for (int i = 0; i < x.length; i++) {
      out[i / c][i % c] = x[i];
    }
    return out;
  }

  static double[][][][] reshape4(float[] v, int b, int c, int h, int w) {
    double[][][][] out = new double[b][c][h][w];
    int i = 0;
    for (int n = 0; n < b; n++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            out[n][ch][y][x] = v[i++];
          }
        }
      }
    }
    return out;
  }

  static double[] flat(double[][][][] x) {
    return java.util.Arrays.stream(x).flatMap(java.util.Arrays::stream).flatMap(java.util.Arrays::stream)
        .flatMapToDouble(java.util.Arrays::stream).toArray();
  }
}
