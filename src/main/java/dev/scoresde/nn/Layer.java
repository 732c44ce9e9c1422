package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.scoresde.tensor.Scalars;

/**
 * Base of the network's blocks: parameters have fixed shapes and an {@link Init} rule, children are
 * initialised with the parent, and each block offers a typed {@code forward} that parents call directly.
 */
abstract class Layer extends AbstractBlock {
  static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

  protected final Parameter param(String name, Parameter.Type type, Shape shape, Init init, boolean trainable) {
    return addParameter(Parameter.builder()
        .setName(name)
        .setType(type)
        .optShape(shape)
        .optInitializer(init)
        .optRequiresGrad(trainable)
        .build());
  }

  protected final Parameter param(String name, Parameter.Type type, Shape shape, Init init) {
    return param(name, type, shape, init, true);
  }

  /** The parameter's value on the device of {@code like}. */
  static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
    return ps.getValue(p, like.getDevice(), training);
  }

  /**
   * Moves an array computed from parameters into the manager of the activation {@code like}: an op's result
   * belongs to its first operand's manager, and per-call arrays must never pile up in the weights' manager.
   */
  static NDArray local(NDArray fromParameters, NDArray like) {
    fromParameters.attach(like.getManager());
    return fromParameters;
  }

  /** SiLU (swish), the nonlinearity of DDPM++/NCSN++. */
  static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** (x + h)/√2 when skip connections are rescaled (Appendix H), x + h otherwise. */
  static NDArray residual(NDArray x, NDArray h, boolean skipRescale) {
    NDArray sum = x.add(h);
    return skipRescale ? Scalars.mul(sum, INV_SQRT2) : sum;
  }

  static NDArray dropout(NDArray x, double rate, boolean training) {
    return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).singletonOrThrow() : x;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
