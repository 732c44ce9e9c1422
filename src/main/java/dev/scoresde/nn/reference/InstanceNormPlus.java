package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * InstanceNorm++ (normalization.InstanceNorm2dPlus) of NCSNv2: γ (instance_norm(x) + α μ̃) + β, with μ̃
 * the channel means standardised across channels ({@link NcsnNorm#standardisedMeans}); parameters
 * alpha, gamma and (bias) beta, each (C).
 */
final class InstanceNormPlus extends NcsnNorm {
  private final Parameter alpha;
  private final Parameter gamma;
  private final Parameter beta;

  InstanceNormPlus(int channels, boolean bias) {
    alpha = param("alpha", new Shape(channels));
    gamma = param("gamma", new Shape(channels));
    beta = bias ? param("beta", new Shape(channels)) : null;
  }

  @Override
  NDArray forward(ParameterStore ps, NDArray x, NDArray y, boolean training) {
    NDArray h = instanceNorm(x).add(perSampleChannel(standardisedMeans(x)).mul(perChannel(value(ps, alpha, x, training), x)));
    NDArray out = h.mul(perChannel(value(ps, gamma, x, training), x));
    return beta == null ? out : out.add(perChannel(value(ps, beta, x, training), x));
  }
}
