package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu and He, 2018) as the reference uses it: min(C/4, 32) groups, eps 1e-6, a learnable
 * per-channel scale and shift. DJL has no GroupNorm; this one normalises each (row, group) with the fused
 * layer-norm kernel over x reshaped to (batch, groups, C/groups·h·w), then applies the per-channel affine.
 */
final class GroupNorm extends Layer {
  static final float EPS = 1e-6f;
  final int channels;
  final int groups;
  private final Parameter gamma; // (channels)
  private final Parameter beta; // (channels)

  GroupNorm(int channels) {
    this.channels = channels;
    this.groups = Math.min(channels / 4, 32);
    if (groups < 1 || channels % groups != 0) {
      throw new IllegalArgumentException("GroupNorm needs channels divisible into min(C/4, 32) groups, got C="
          + channels);
    }
    gamma = param("gamma", Parameter.Type.GAMMA, new Shape(channels), Init.ones());
    beta = param("beta", Parameter.Type.BETA, new Shape(channels), Init.zeros());
  }

  /** x (batch, channels, ...) → same shape. */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    Shape shape = x.getShape();
    long batch = shape.get(0);
    long n = shape.size() / (batch * groups);
    NDManager m = x.getManager();
    Shape group = new Shape(n);
    NDArray normalized = LayerNorm.layerNorm(x.reshape(batch, groups, n), group, m.ones(group), m.zeros(group), EPS)
        .singletonOrThrow()
        .reshape(shape);
    long[] affine = new long[shape.dimension()];
    java.util.Arrays.fill(affine, 1);
    affine[1] = channels;
    Shape affineShape = new Shape(affine);
    return normalized.mul(local(value(ps, gamma, x, training).reshape(affineShape), x))
        .add(local(value(ps, beta, x, training).reshape(affineShape), x));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.head(), training));
  }
}
