package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/** {@code torch.nn.Linear}: weight (out, in), bias (out). */
final class Linear extends TorchModule implements Unary {
  private final Parameter weight;
  private final Parameter bias;

  Linear(int in, int out) {
    weight = param("weight", new Shape(out, in));
    bias = param("bias", new Shape(out));
  }

  /** x (batch, in) → (batch, out). */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return ai.djl.nn.core.Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training))
        .singletonOrThrow();
  }
}
