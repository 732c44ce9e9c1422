package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Conditional InstanceNorm++ (normalization.ConditionalInstanceNorm2dPlus) of NCSN v1: as
 * {@link InstanceNormPlus}, with γ, α and β read per sample from the row y of {@code embed.weight}
 * (num_classes, 3C), laid out [γ | α | β] ([γ | α], (num_classes, 2C), without bias).
 */
final class ConditionalInstanceNormPlus extends NcsnNorm {
  private final int channels;
  private final boolean bias;
  private final Parameter embed;

  ConditionalInstanceNormPlus(int channels, int numClasses, boolean bias) {
    this.channels = channels;
    this.bias = bias;
    embed = child("embed", new Embedding()).weight(numClasses, (bias ? 3 : 2) * channels);
  }

  @Override
  NDArray forward(ParameterStore ps, NDArray x, NDArray y, boolean training) {
    NDArray rows = local(value(ps, embed, x, training).get(y), x);
    NDArray gamma = perSampleChannel(rows.get(new NDIndex(":, 0:{}", channels)));
    NDArray alpha = perSampleChannel(rows.get(new NDIndex(":, {}:{}", channels, 2 * channels)));
    NDArray h = instanceNorm(x).add(perSampleChannel(standardisedMeans(x)).mul(alpha));
    NDArray out = gamma.mul(h);
    return bias ? out.add(perSampleChannel(rows.get(new NDIndex(":, {}:", 2 * channels)))) : out;
  }

  /** {@code nn.Embedding}: only its weight, read through {@link NDArray#get(NDArray)}. */
  private static final class Embedding extends TorchModule {
    Parameter weight(int rows, int dim) {
      return param("weight", new Shape(rows, dim));
    }
  }
}
