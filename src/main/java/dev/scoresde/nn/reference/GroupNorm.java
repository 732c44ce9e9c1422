package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

/**
 * {@code torch.nn.GroupNorm(num_groups, C, eps)}: weight and bias (C). NCSN++ uses min(C/4, 32) groups,
 * DDPM 32; both eps 1e-6. Each (row, group) is normalised by the fused layer-norm kernel, then scaled and
 * shifted per channel; followed by the block's nonlinearity in {@link #forward(ParameterStore, NDArray,
 * Nonlinearity, boolean)}.
 */
final class GroupNorm extends TorchModule implements Unary {
  static final double EPS = 1e-6;
  private final int groups;
  private final double eps;
  private final Parameter weight;
  private final Parameter bias;

  GroupNorm(int groups, int channels, double eps) {
    if (groups < 1 || channels % groups != 0) {
      throw new IllegalArgumentException("GroupNorm: " + channels + " channels do not split into " + groups
          + " groups");
    }
    this.groups = groups;
    this.eps = eps;
    weight = param("weight", new Shape(channels));
    bias = param("bias", new Shape(channels));
  }

  /** The layerspp.py rule: min(C/4, 32) groups, eps 1e-6. */
  static GroupNorm ncsnpp(int channels) {
    return new GroupNorm(Math.min(channels / 4, 32), channels, EPS);
  }

  /** The DDPM rule (layers.py, ddpm.py): 32 groups, eps 1e-6. */
  static GroupNorm ddpm(int channels) {
    return new GroupNorm(32, channels, EPS);
  }

  /** x (batch, C, h, w) → same shape. */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return forward(ps, x, null, training);
  }

  /**
   * act(GroupNorm(x)), or GroupNorm(x) when act is null: x (batch, C, h, w) → same shape. Without autograd the
   * scale and shift are applied in place (the normalised array is the only new one before act); with it the
   * scale makes a new array, since its backward reads the normalised values, and the shift goes into that.
   */
  NDArray forward(ParameterStore ps, NDArray x, Nonlinearity act, boolean training) {
    Shape shape = x.getShape();
    long batch = shape.get(0);
    long n = shape.size() / (batch * groups);
    NDArray w = value(ps, weight, x, training);
    NDArray b = value(ps, bias, x, training);
    // the kernel's own affine step with unit scale and zero shift (constants, not rebuilt per call)
    NDArray ones = Constants.get(x.getDevice(), "ones " + n, m -> m.ones(new Shape(n)));
    NDArray zeros = Constants.get(x.getDevice(), "zeros " + n, m -> m.zeros(new Shape(n)));
    NDArray normalized = LayerNorm.layerNorm(x.reshape(batch, groups, n), new Shape(n), ones, zeros, (float) eps)
        .singletonOrThrow().reshape(shape);
    NDArray scale = perChannel(w, x);
    NDArray y = untracked() ? normalized.muli(scale) : normalized.mul(scale);
    y.addi(perChannel(b, x));
    return act == null ? y : act.apply(y);
  }
}
