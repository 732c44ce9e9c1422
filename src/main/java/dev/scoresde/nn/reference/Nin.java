package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/** The reference's NIN (a per-pixel dense layer): W (in, out), b (out); y = x·W + b over channels. */
final class Nin extends TorchModule implements Unary {
  private final Parameter w;
  private final Parameter b;

  Nin(int in, int out) {
    w = param("W", new Shape(in, out));
    b = param("b", new Shape(out));
  }

  /** x (batch, in, h, w) → (batch, out, h, w), as a 1×1 convolution with weight Wᵀ. */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray weight = value(ps, w, x, training).transpose(1, 0);
    Shape ws = weight.getShape();
    return Conv.apply(x, weight.reshape(ws.get(0), ws.get(1), 1, 1), value(ps, b, x, training), 1, 0, 1, 1);
  }
}
