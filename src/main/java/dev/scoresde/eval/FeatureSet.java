package dev.scoresde.eval;

import ai.djl.ndarray.NDManager;
import dev.scoresde.data.Batch;
import dev.scoresde.data.ImageArrayData;

/**
 * The eval CNN's features of the first n images of a set (in its seeded order) and its accuracy on them.
 *
 * @param features (n, F)
 * @param accuracy fraction of the n images classified as their label
 */
public record FeatureSet(double[][] features, double accuracy) {

  public static FeatureSet of(EvalClassifier classifier, ImageArrayData data, int n, int batchSize, NDManager manager) {
    double[][] features = new double[n][];
    int correct = 0;
    try (NDManager scope = manager.newSubManager()) {
      Batch all = EvalSets.first(data, n, scope);
      int[] labels = all.labels().toIntArray();
      for (int from = 0; from < n; from += batchSize) {
        int to = Math.min(n, from + batchSize);
        EvalClassifier.Output out = classifier.classify(all.x().get(from + ":" + to));
        for (int i = from; i < to; i++) {
          features[i] = out.features()[i - from];
          correct += out.predicted()[i - from] == labels[i] ? 1 : 0;
        }
      }
    }
    return new FeatureSet(features, (double) correct / n);
  }
}
