package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A fully connected layer with default_init weights and zero bias (the reference's Dense/nn.Linear). */
final class Dense extends Layer {
  final int in;
  final int out;
  private final Parameter weight; // (out, in)
  private final Parameter bias; // (out)

  Dense(int in, int out, double initScale) {
    this.in = in;
    this.out = out;
    weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in), Init.fanAvg(initScale));
    bias = param("bias", Parameter.Type.BIAS, new Shape(out), Init.zeros());
  }

  Dense(int in, int out) {
    this(in, out, 1);
  }

  /** x (batch, in) → (batch, out). */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    Flops.add(x.getShape().size() / in * in * out);
    return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training)).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), out)};
  }
}
