package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.scoresde.nn.block.DirectBlock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block mirroring one {@code torch.nn.Module} of the reference implementation: parameters and
 * children are registered under their torch attribute names, so {@link #stateDictParameters} yields the
 * keys of the reference's {@code state_dict()} (buffers aside) in the same order as its
 * {@code named_parameters()}. Blocks call each other's typed {@code forward} directly.
 */
abstract class TorchModule extends DirectBlock {
  /** Imported weights overwrite every value; the initial zeros only give the arrays their shapes. */
  private static final Initializer ZEROS = (manager, shape, type) -> manager.zeros(shape, type);

  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, TorchModule> children = new LinkedHashMap<>();

  /** A float32 parameter named as in torch; {@code trainable = false} for {@code requires_grad=False}. */
  protected final Parameter param(String torchName, Shape shape, boolean trainable) {
    Parameter p = addParameter(Parameter.builder()
        .setName(torchName)
        .setType(Parameter.Type.OTHER)
        .optShape(shape)
        .optInitializer(ZEROS)
        .optRequiresGrad(trainable)
        .build());
    parameters.put(torchName, p);
    return p;
  }

  protected final Parameter param(String torchName, Shape shape) {
    return param(torchName, shape, true);
  }

  /** Registers {@code module} as the torch attribute {@code torchName} (e.g. "all_modules.3", "Conv_0"). */
  protected final <T extends TorchModule> T child(String torchName, T module) {
    addChildBlock(torchName, module);
    children.put(torchName, module);
    return module;
  }

  /**
   * The parameters under their state-dict names (own first, then each child's, depth first), as
   * {@code named_parameters()} orders them in torch.
   */
  final Map<String, Parameter> stateDictParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    parameters.forEach((name, p) -> out.put(prefix + name, p));
    children.forEach((name, m) -> m.collect(prefix + name + ".", out));
  }

  /**
   * A constant array (a FIR filter, an interpolation matrix) in libtorch's own memory. {@code manager.create}
   * wraps a Java buffer that only its Java handle keeps alive, but autograd saves a convolution's or matmul's
   * operands for the backward pass, after the module's memory scope has closed that handle; a clone is
   * refcounted by the graph.
   */
  static NDArray constant(NDManager manager, float[] values, Shape shape) {
    try (NDArray wrapped = manager.create(values, shape)) {
      return wrapped.duplicate();
    }
  }

  /**
   * Whether autograd records nothing on this thread (grad mode off, as {@link ReferenceNetwork} sets it for a
   * pass that needs no gradient): then the fast paths may overwrite fresh intermediates in place. While it
   * records, a value a backward pass reads must stay as it was, so they use out-of-place operations.
   */
  static boolean untracked() {
    return !JniUtils.isGradMode();
  }

  /**
   * The float32 0-d constant {@code value} on {@code like}'s device, created once. Dividing by it in place
   * equals {@code Scalars.div(x, value)} bit for bit (that, too, divides by a float32 0-d tensor) without
   * allocating the scalar or the result on every call. Autograd may keep it: it is never closed.
   */
  static NDArray scalar(NDArray like, double value) {
    float v = (float) value;
    return Constants.get(like.getDevice(), "scalar " + Float.floatToIntBits(v),
        m -> m.full(new Shape(), v, DataType.FLOAT32));
  }

  /** A parameter (C) as (1, C, 1, 1), for per-channel terms of (batch, C, h, w) maps, in like's manager. */
  static NDArray perChannel(NDArray v, NDArray like) {
    return local(v.reshape(1, -1, 1, 1), like);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " is called through its typed forward");
  }
}
