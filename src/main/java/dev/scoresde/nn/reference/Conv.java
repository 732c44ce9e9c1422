package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/**
 * {@code torch.nn.Conv2d}, as the reference's {@code conv3x3}/{@code conv1x1} (and the NCSN
 * {@code ncsn_conv3x3}/{@code ncsn_conv1x1}) make it: weight (out, in, k, k), bias (out) unless
 * {@code bias=False}, square stride, padding and dilation.
 */
final class Conv extends TorchModule implements Unary {
  private final int stride;
  private final int padding;
  private final int dilation;
  private final Parameter weight;
  private final Parameter bias;

  Conv(int in, int out, int kernel, int stride, int padding, int dilation) {
    this(in, out, kernel, stride, padding, dilation, true);
  }

  Conv(int in, int out, int kernel, int stride, int padding, int dilation, boolean withBias) {
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    weight = param("weight", new Shape(out, in, kernel, kernel));
    bias = withBias ? param("bias", new Shape(out)) : null;
  }

  /** 3×3, stride 1, padding 1. */
  static Conv conv3x3(int in, int out) {
    return new Conv(in, out, 3, 1, 1, 1);
  }

  static Conv conv1x1(int in, int out) {
    return new Conv(in, out, 1, 1, 0, 1);
  }

  /** x (batch, in, h, w) → (batch, out, h', w'). */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray b = bias == null ? null : value(ps, bias, x, training);
    return apply(x, value(ps, weight, x, training), b, stride, padding, dilation, 1);
  }

  /** Functional 2-D cross-correlation (torch's conv2d); b may be null. */
  static NDArray apply(NDArray x, NDArray w, NDArray b, int stride, int padding, int dilation, int groups) {
    return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding),
        new Shape(dilation, dilation), groups).singletonOrThrow();
  }
}
