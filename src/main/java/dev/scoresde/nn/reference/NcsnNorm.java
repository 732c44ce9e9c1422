package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import dev.scoresde.tensor.Scalars;

/**
 * A normalisation layer of the NCSN family (normalization.py): x (batch, C, h, w) and the σ indices y
 * (batch, int64) → same shape as x. Unconditional layers ignore y.
 */
abstract class NcsnNorm extends TorchModule {
  /** The eps of InstanceNorm++: {@code nn.InstanceNorm2d}'s default and the one of the mean term. */
  static final double EPS = 1e-5;

  abstract NDArray forward(ParameterStore ps, NDArray x, NDArray y, boolean training);

  /** {@code nn.InstanceNorm2d(affine=False)}: each (sample, channel) map minus its mean over its biased std. */
  static NDArray instanceNorm(NDArray x) {
    Shape shape = x.getShape();
    long rows = shape.get(0) * shape.get(1);
    Shape map = new Shape(shape.size() / rows);
    NDManager m = x.getManager();
    return LayerNorm.layerNorm(x.reshape(1, rows, map.get(0)), map, m.ones(map), m.zeros(map), (float) EPS)
        .singletonOrThrow().reshape(shape);
  }

  /**
   * The InstanceNorm++ term: the per-channel means μ (batch, C) standardised across channels,
   * (μ − mean_C μ) / sqrt(var_C μ + eps) with the unbiased variance (torch.var's default).
   */
  static NDArray standardisedMeans(NDArray x) {
    long channels = x.getShape().get(1);
    NDArray means = x.reshape(x.getShape().get(0), channels, -1).mean(new int[] {2});
    NDArray centred = means.sub(means.mean(new int[] {1}, true));
    NDArray var = Scalars.div(centred.square().sum(new int[] {1}, true), channels - 1);
    return centred.div(Scalars.add(var, EPS).sqrt());
  }

  /** (batch, C) → (batch, C, 1, 1). */
  static NDArray perSampleChannel(NDArray v) {
    return v.reshape(v.getShape().get(0), -1, 1, 1);
  }
}
