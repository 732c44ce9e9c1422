package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.score.ConditionalScoreModel;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.tensor.Scalars;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022): s̃(x, t) = (1 + w)·s(x, t, y) − w·s(x, t, ∅).
 * w = 0 is plain conditional sampling; w &gt; 0 sharpens. The conditional and unconditional scores are
 * evaluated in one batch of twice the size. A {@link ScoreModel}, so every sampler can use it.
 */
public final class ClassifierFreeGuidance implements ScoreModel {
  private final ConditionalScoreModel model;
  private final int[] labels; // (batch)
  private final double weight;

  /**
   * @param labels the class of each row, 0..K−1
   * @param weight w ≥ 0
   */
  public ClassifierFreeGuidance(ConditionalScoreModel model, int[] labels, double weight) {
    if (!(weight >= 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("guidance weight must be finite and ≥ 0, got " + weight);
    }
    this.model = model;
    this.labels = Labels.check(labels, model.numClasses());
    this.weight = weight;
  }

  /** @param labels the class of each row, (batch) of any integer type */
  public ClassifierFreeGuidance(ConditionalScoreModel model, NDArray labels, double weight) {
    this(model, Labels.toInts(labels), weight);
  }

  @Override
  public NDArray score(NDArray x, NDArray t) {
    NDManager m = x.getManager();
    long b = Labels.requireRows(x, labels);
    if (weight == 0) {
      return model.score(x, t, m.create(labels));
    }
    int[] both = new int[2 * labels.length];
    System.arraycopy(labels, 0, both, 0, labels.length);
    java.util.Arrays.fill(both, labels.length, both.length, model.noLabel());
    NDArray s = model.score(x.concat(x, 0), t.concat(t, 0), m.create(both));
    NDArray cond = s.get("0:" + b);
    NDArray uncond = s.get(b + ":");
    return Scalars.mul(cond, 1 + weight).sub(Scalars.mul(uncond, weight));
  }
}
