package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * StyleGAN2's FIR resampling as up_or_down_sampling.py defines it, for any 1-D kernel k: upfirdn2d
 * (zero-stuff by {@code up}, pad, correlate with the flipped 2-D filter, keep every {@code down}-th
 * sample) and the four resamplers built on it. Made of reshapes, pads and depthwise convolutions with cached
 * filters.
 */
final class UpFirDn {
  private UpFirDn() {}

  /** outer(k, k) / sum(outer(k, k)) · gain, row-major (the reference's _setup_kernel). */
  static float[] kernel2d(List<Integer> k, double gain) {
    int n = k.size();
    double sum = 0;
    for (int a : k) {
      for (int b : k) {
        sum += (double) a * b;
      }
    }
    float[] out = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        out[i * n + j] = (float) ((float) (k.get(i) * k.get(j) / sum) * gain);
      }
    }
    return out;
  }

  /**
   * upfirdn2d(x, kernel, up, down, pad=(p0, p1)) on both axes: x (batch, C, h, w) → (batch, C,
   * (h·up + p0 + p1 − n)/down + 1, …); negative padding crops. Zero-stuffing and padding as the reference does,
   * then one depthwise correlation with the flipped filter, whose own padding takes p0 = p1 (no padded copy).
   */
  static NDArray upfirdn2d(NDArray x, float[] kernel, int n, int up, int down, int p0, int p1) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    if (up > 1) {
      x = x.reshape(b, c, h, 1, w, 1).pad(new Shape(0, up - 1, 0, 0, 0, up - 1), 0).reshape(b, c, h * up, w * up);
    }
    int convPadding = 0;
    if (p0 == p1 && p0 > 0) {
      convPadding = p0;
    } else {
      x = pad(x, p0, p1);
    }
    return Conv.apply(x, filter(x, kernel, n), null, down, convPadding, 1, Math.toIntExact(c));
  }

  /**
   * The depthwise filter (C, 1, n, n) of the 2-D kernel, flipped for a correlation, on x's device: built once per
   * (kernel, C, device) and kept (a constant; autograd may read it in a backward pass long after the call).
   */
  private static NDArray filter(NDArray x, float[] kernel, int n) {
    long c = x.getShape().get(1);
    return Constants.get(x.getDevice(), "fir " + c + " " + java.util.Arrays.toString(kernel), owner -> {
      float[] values = new float[Math.toIntExact(c * n * n)];
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < n * n; i++) {
          values[ch * n * n + i] = kernel[n * n - 1 - i];
        }
      }
      return TorchModule.constant(owner, values, new Shape(c, 1, n, n));
    });
  }

  /** Pads (p ≥ 0) or crops (p < 0) the last two axes: p0 before, p1 after. */
  private static NDArray pad(NDArray x, int p0, int p1) {
    if (p0 > 0 || p1 > 0) {
      int a = Math.max(p0, 0);
      int z = Math.max(p1, 0);
      x = x.pad(new Shape(a, z, a, z), 0);
    }
    if (p0 < 0 || p1 < 0) {
      Shape s = x.getShape();
      long a = Math.max(-p0, 0);
      long zh = s.get(2) - Math.max(-p1, 0);
      long zw = s.get(3) - Math.max(-p1, 0);
      x = x.get(":, :, " + a + ":" + zh + ", " + a + ":" + zw);
    }
    return x;
  }

  /** upsample_2d(x, k, factor 2): (batch, C, h, w) → (batch, C, 2h, 2w). */
  static NDArray upsample(NDArray x, List<Integer> k) {
    int n = k.size();
    int p = n - 2;
    return upfirdn2d(x, kernel2d(k, 4), n, 2, 1, Math.floorDiv(p + 1, 2) + 1, Math.floorDiv(p, 2));
  }

  /** downsample_2d(x, k, factor 2): (batch, C, h, w) → (batch, C, h/2, w/2). */
  static NDArray downsample(NDArray x, List<Integer> k) {
    int n = k.size();
    int p = n - 2;
    return upfirdn2d(x, kernel2d(k, 1), n, 1, 2, Math.floorDiv(p + 1, 2), Math.floorDiv(p, 2));
  }

  /**
   * upsample_conv_2d(x, w, k): the stride-2 transposed convolution of the (out, in, kh, kw) weight — a
   * valid correlation of the zero-stuffed input padded by kw − 1 with w itself — then the FIR filter.
   * (batch, in, h, w) → (batch, out, 2h, 2w).
   */
  static NDArray upsampleConv(NDArray x, NDArray weight, List<Integer> k) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    int conv = Math.toIntExact(weight.getShape().get(3));
    NDArray stuffed = x.reshape(b, c, h, 1, w, 1).pad(new Shape(0, 1, 0, 0, 0, 1), 0).reshape(b, c, 2 * h, 2 * w)
        .get(":, :, :" + (2 * h - 1) + ", :" + (2 * w - 1));
    NDArray y = Conv.apply(stuffed, weight, null, 1, conv - 1, 1, 1); // (batch, out, 2h + conv − 2, …)
    int n = k.size();
    int p = (n - 2) - (conv - 1);
    return upfirdn2d(y, kernel2d(k, 4), n, 1, 1, Math.floorDiv(p + 1, 2) + 1, Math.floorDiv(p, 2) + 1);
  }

  /** conv_downsample_2d(x, w, k): the FIR filter, then a stride-2 valid convolution. */
  static NDArray convDownsample(NDArray x, NDArray weight, List<Integer> k) {
    int conv = Math.toIntExact(weight.getShape().get(3));
    int n = k.size();
    int p = (n - 2) + (conv - 1);
    NDArray blurred = upfirdn2d(x, kernel2d(k, 1), n, 1, 1, Math.floorDiv(p + 1, 2), Math.floorDiv(p, 2));
    return Conv.apply(blurred, weight, null, 2, 0, 1, 1);
  }

  /** naive_upsample_2d: each pixel repeated 2×2. */
  static NDArray nearestUpsample(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  /** naive_downsample_2d: the mean of each 2×2 block. */
  static NDArray meanDownsample(NDArray x) {
    return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
  }
}
