package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import dev.scoresde.nn.block.DirectBlock;
import dev.scoresde.tensor.Scalars;

/**
 * Base of the network's blocks: parameters have fixed shapes and an {@link Init} rule, children are
 * initialised with the parent, and each block offers a typed {@code forward} that parents call directly.
 */
abstract class Layer extends DirectBlock {
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

  /** SiLU (swish), the nonlinearity of DDPM++/NCSN++. */
  static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** (x + h)/√2 when skip connections are rescaled (Appendix H), x + h otherwise. */
  static NDArray residual(NDArray x, NDArray h, boolean skipRescale) {
    NDArray sum = x.add(h);
    return skipRescale ? Scalars.mul(sum, INV_SQRT2) : sum;
  }
}
