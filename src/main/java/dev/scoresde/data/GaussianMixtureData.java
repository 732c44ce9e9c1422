package dev.scoresde.data;

import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic low-dimensional data: a mixture of isotropic Gaussians with the given weights, means and
 * standard deviations. Example j of step k is drawn from (seed, k·B + j) alone; the component index is
 * the label, so the same data trains class-conditional models and classifiers.
 *
 * @param weights mixture weights (normalized here)
 * @param means component means, each of the data dimension
 * @param stds component standard deviations
 */
public record GaussianMixtureData(double[] weights, double[][] means, double[] stds, long seed)
    implements TrainingData {

  public GaussianMixtureData {
    if (weights.length == 0 || weights.length != means.length || weights.length != stds.length) {
      throw new IllegalArgumentException("need as many weights, means and stds (at least one)");
    }
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] > 0) || !(stds[i] > 0) || means[i].length != means[0].length) {
        throw new IllegalArgumentException("component " + i + ": need weight > 0, std > 0 and a mean of dimension "
            + means[0].length);
      }
      total += weights[i];
    }
    double[] w = new double[weights.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights[i] / total;
    }
    weights = w;
  }

  /** {@code components} equal Gaussians on a circle (e.g. 8 of std 0.1 at radius 2, a classic 2-D test bed). */
  public static GaussianMixtureData ring(int components, double radius, double std, long seed) {
    double[] w = new double[components];
    double[][] m = new double[components][];
    double[] s = new double[components];
    for (int i = 0; i < components; i++) {
      double a = 2 * Math.PI * i / components;
      w[i] = 1;
      m[i] = new double[] {radius * Math.cos(a), radius * Math.sin(a)};
      s[i] = std;
    }
    return new GaussianMixtureData(w, m, s, seed);
  }

  @Override
  public DataShape shape() {
    return DataShape.vector(means[0].length);
  }

  /** Synthetic values are not pixels; the nominal range is the symmetric one. */
  @Override
  public ValueRange range() {
    return ValueRange.SYMMETRIC;
  }

  @Override
  public List<String> classNames() {
    String[] names = new String[weights.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = "component " + i;
    }
    return List.of(names);
  }

  @Override
  public String description() {
    return "synthetic mixture of " + weights.length + " Gaussians in " + means[0].length + " dimensions";
  }

  @Override
  public Batch batch(long step, int batchSize, NDManager manager) {
    int d = means[0].length;
    float[] x = new float[batchSize * d];
    int[] labels = new int[batchSize];
    for (int j = 0; j < batchSize; j++) {
      SplittableRandom r = new SplittableRandom(Seeds.derive(seed, step * batchSize + j, Seeds.SYNTHETIC));
      double u = r.nextDouble();
      int k = 0;
      while (k < weights.length - 1 && u >= weights[k]) {
        u -= weights[k];
        k++;
      }
      labels[j] = k;
      for (int i = 0; i < d; i++) {
        x[j * d + i] = (float) (means[k][i] + stds[k] * r.nextGaussian());
      }
    }
    return new Batch(manager.create(x, shape().batchShape(batchSize)), manager.create(labels));
  }
}
