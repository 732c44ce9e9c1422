package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

/**
 * {@code torch.nn.GroupNorm(num_groups, C, eps)}: weight and bias (C). NCSN++ uses min(C/4, 32) groups,
 * DDPM 32; both eps 1e-6. Each (row, group) is normalised by the fused layer-norm kernel.
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
    Shape shape = x.getShape();
    long batch = shape.get(0);
    long n = shape.size() / (batch * groups);
    NDManager m = x.getManager();
    Shape group = new Shape(n);
    NDArray normalized = LayerNorm.layerNorm(x.reshape(batch, groups, n), group, m.ones(group), m.zeros(group),
        (float) eps).singletonOrThrow().reshape(shape);
    return normalized.mul(perChannel(value(ps, weight, x, training), x))
        .add(perChannel(value(ps, bias, x, training), x));
  }
}
