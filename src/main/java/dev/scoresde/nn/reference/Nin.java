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

  /**
   * x (batch, in, h, w) → (batch, out, h, w). The pixels become the rows of one contiguous (batch·h·w, in)
   * matrix for a single fused matrix product and bias ({@link #rows}); a 4-d product with the channels-last
   * view would be broadcast as batch·h small products against as many copies of W.
   */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    Shape s = x.getShape();
    NDArray y = rows(ps, x.transpose(0, 2, 3, 1).reshape(-1, s.get(1)), training); // (batch·h·w, out)
    return y.reshape(s.get(0), s.get(2), s.get(3), -1).transpose(0, 3, 1, 2);
  }

  /** rows (n, in) → rows·W + b (n, out), one addmm. */
  NDArray rows(ParameterStore ps, NDArray rows, boolean training) {
    NDArray weight = local(value(ps, w, rows, training).transpose(), rows); // (out, in), as torch's linear takes it
    return ai.djl.nn.core.Linear.linear(rows, weight, value(ps, b, rows, training)).singletonOrThrow();
  }
}
