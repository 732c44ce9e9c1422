package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * 2× resampling of (batch, C, h, w) images: the FIR filter k = (1,3,3,1) of StyleGAN2 that NCSN++ uses
 * (the reference's {@code upfirdn2d}-based upsample_2d / downsample_2d / upsample_conv_2d /
 * conv_downsample_2d), and the plain nearest / 2×2-mean resampling. Built from depthwise convolutions,
 * padding and reshapes only, so it runs on any device with no custom kernel.
 */
final class Fir {
  /** The separable filter outer(k, k)/64 for k = (1,3,3,1); sums to 1. */
  static final float[] K1 = {1 / 8f, 3 / 8f, 3 / 8f, 1 / 8f};

  /**
   * 1-D polyphase taps of 2× FIR upsampling (gain 2 per axis) over (x[i-1], x[i], x[i+1]):
   * out[2i] = (x[i-1] + 3x[i])/4, out[2i+1] = (3x[i] + x[i+1])/4.
   */
  private static final float[][] PHASE = {{1 / 4f, 3 / 4f, 0}, {0, 3 / 4f, 1 / 4f}};

  private Fir() {}

  /** upfirdn2d(x, k, down=2, pad=(1,1)): x (batch, C, h, w) → (batch, C, h/2, w/2). */
  static NDArray downsample(NDArray x) {
    return blur(x, 2, 1);
  }

  /** upfirdn2d(x, k, up=1, down=stride, pad=(p,p)): a depthwise 4×4 FIR convolution. */
  static NDArray blur(NDArray x, int stride, int pad) {
    int c = Math.toIntExact(x.getShape().get(1));
    float[] w = new float[c * 16];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          w[ch * 16 + i * 4 + j] = K1[i] * K1[j];
        }
      }
    }
    NDArray kernel = x.getManager().create(w, new Shape(c, 1, 4, 4));
    return Conv.apply(x, kernel, null, stride, pad, c);
  }

  /**
   * upfirdn2d(x, 4k, up=2, pad=(2,1)), computed without zero-stuffing: one depthwise 3×3 convolution
   * yields the four output phases, which a reshape interleaves. x (batch, C, h, w) → (batch, C, 2h, 2w).
   */
  static NDArray upsample(NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    int c = Math.toIntExact(s.get(1));
    long h = s.get(2);
    long w = s.get(3);
    float[] k = new float[c * 4 * 9];
    for (int ch = 0; ch < c; ch++) {
      for (int py = 0; py < 2; py++) {
        for (int px = 0; px < 2; px++) {
          int base = ((ch * 4) + py * 2 + px) * 9;
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
              k[base + i * 3 + j] = PHASE[py][i] * PHASE[px][j];
            }
          }
        }
      }
    }
    NDArray kernel = x.getManager().create(k, new Shape(4L * c, 1, 3, 3));
    NDArray phases = Conv.apply(x, kernel, null, 1, 1, c); // (batch, C·(py,px), h, w)
    return phases.reshape(b, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(b, c, 2 * h, 2 * w);
  }

  /**
   * The reference's conv_downsample_2d: FIR blur with pad 2, then a 3×3 convolution of stride 2.
   * x (batch, in, h, w), weight (out, in, 3, 3), bias (out) → (batch, out, h/2, w/2).
   */
  static NDArray convDownsample(NDArray x, NDArray weight, NDArray bias) {
    return Conv.apply(blur(x, 1, 2), weight, bias, 2, 0);
  }

  /**
   * The reference's upsample_conv_2d (transposed stride-2 convolution, then FIR with pad (1,1)), computed as
   * FIR upsampling of the zero-padded input, cropped to the (2h+2)² support that the 3×3 kernel reads,
   * then a valid 3×3 convolution: the same linear map, without a transposed convolution (which DJL's
   * PyTorch engine lacks). x (batch, in, h, w), weight (out, in, 3, 3) → (batch, out, 2h, 2w).
   */
  static NDArray upsampleConv(NDArray x, NDArray weight, NDArray bias) {
    Shape s = x.getShape();
    long h = s.get(2);
    long w = s.get(3);
    NDArray up = upsample(x.pad(new Shape(1, 1, 1, 1), 0)); // (batch, in, 2h+4, 2w+4)
    NDArray support = up.get(":, :, 1:" + (2 * h + 3) + ", 1:" + (2 * w + 3));
    return Conv.apply(support, weight, bias, 1, 0);
  }

  /** Nearest-neighbour 2× upsampling (naive_upsample_2d). */
  static NDArray nearestUpsample(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  /** 2×2 mean pooling (naive_downsample_2d). */
  static NDArray meanDownsample(NDArray x) {
    return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
  }

  static NDArray up(NDArray x, boolean fir) {
    return fir ? upsample(x) : nearestUpsample(x);
  }

  static NDArray down(NDArray x, boolean fir) {
    return fir ? downsample(x) : meanDownsample(x);
  }
}
