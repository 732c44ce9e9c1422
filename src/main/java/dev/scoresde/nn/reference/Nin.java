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

  /** x (batch, in, h, w) → (batch, out, h, w): channels last, times W, plus b, channels first again. */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return x.transpose(0, 2, 3, 1).matMul(value(ps, w, x, training)).add(value(ps, b, x, training))
        .transpose(0, 3, 1, 2);
  }
}
