package dev.scoresde.nn.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;

/**
 * A DJL block whose parents call its typed {@code forward} directly, the base of our networks' layers and of
 * the reference modules: parameters have fixed shapes, so DJL's shape inference is not used (children are
 * initialised with the parent, the output shape is nominally the input's), and parameter values are moved
 * into the activations' memory scope.
 */
public abstract class DirectBlock extends AbstractBlock {

  /**
   * The parameter's value on the device of {@code like}. It belongs to the weights' manager: an array derived
   * from it (an op whose first operand it is) must go through {@link #local}.
   */
  protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
    return ps.getValue(p, like.getDevice(), training);
  }

  /**
   * Moves an array computed from parameters into the manager of the activation {@code like}: an op's result
   * belongs to its first operand's manager, and per-call arrays must never pile up in the weights' manager.
   */
  protected static NDArray local(NDArray fromParameters, NDArray like) {
    fromParameters.attach(like.getManager());
    return fromParameters;
  }

  /** Dropout with the given rate while training (torch's nn.Dropout), the identity at evaluation. */
  protected static NDArray dropout(NDArray x, double rate, boolean training) {
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
