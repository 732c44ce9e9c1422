package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A k×k convolution with bias and DDPM initialisation ({@code ddpm_conv3x3}/{@code ddpm_conv1x1} of the
 * reference: default_init(initScale) weights, zero bias). A 1×1 Conv is also the reference's NIN layer.
 */
final class Conv extends Layer {
  final int in;
  final int out;
  final int kernel;
  private final int stride;
  private final int padding;
  private final Parameter weight; // (out, in, kernel, kernel)
  private final Parameter bias; // (out)

  Conv(int in, int out, int kernel, int stride, int padding, double initScale) {
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in, kernel, kernel), Init.fanAvg(initScale));
    bias = param("bias", Parameter.Type.BIAS, new Shape(out), Init.zeros());
  }

  /** 3×3, stride 1, "same" padding. */
  static Conv conv3x3(int in, int out, double initScale) {
    return new Conv(in, out, 3, 1, 1, initScale);
  }

  static Conv conv1x1(int in, int out, double initScale) {
    return new Conv(in, out, 1, 1, 0, initScale);
  }

  /** x (batch, in, h, w) → (batch, out, h', w'). */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return apply(x, weight(ps, x, training), bias(ps, x, training), stride, padding);
  }

  NDArray weight(ParameterStore ps, NDArray like, boolean training) { // (out, in, kernel, kernel)
    return value(ps, weight, like, training);
  }

  NDArray bias(ParameterStore ps, NDArray like, boolean training) { // (out)
    return value(ps, bias, like, training);
  }

  /** Functional convolution, counted in {@link Flops}: x (batch, in, h, w), w (out, in/groups, k, k). */
  static NDArray apply(NDArray x, NDArray w, NDArray b, int stride, int padding) {
    return apply(x, w, b, stride, padding, 1);
  }

  static NDArray apply(NDArray x, NDArray w, NDArray b, int stride, int padding, int groups) {
    NDArray y = Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding),
        new Shape(1, 1), groups).singletonOrThrow();
    Shape ws = w.getShape();
    Flops.add(y.getShape().size() * ws.get(1) * ws.get(2) * ws.get(3));
    return y;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.head(), training));
  }
}
