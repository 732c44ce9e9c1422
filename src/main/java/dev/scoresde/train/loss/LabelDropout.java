package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.tensor.Rng;

/**
 * Classifier-free guidance training (Ho and Salimans 2022): each row's label is replaced by the
 * "no label" token (= numClasses) with probability p, so one network learns both the conditional and
 * the unconditional score.
 */
public final class LabelDropout {
  private LabelDropout() {}

  /**
   * @param labels (batch) int32 in [0, numClasses), or null for unlabelled data (all rows get "no label")
   * @param numClasses the class count; the token numClasses means "no label"
   * @param p the drop probability in [0, 1]
   * @param rng one stream per row; one uniform is drawn per row
   * @param like an array of the batch (for its manager and row count)
   * @return (batch) int32 labels with dropped rows set to numClasses
   */
  public static NDArray apply(NDArray labels, int numClasses, double p, Rng rng, NDArray like) {
    int n = Math.toIntExact(like.getShape().get(0));
    float[] u = rng.uniform(like.getManager(), new Shape(n)).toFloatArray();
    int[] in = labels == null ? null : labels.toIntArray();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = in == null || u[i] < p ? numClasses : in[i];
    }
    return like.getManager().create(out);
  }
}
