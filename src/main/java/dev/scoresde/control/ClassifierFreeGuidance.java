package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.score.ConditionalScoreModel;
import dev.scoresde.score.ScoreModel;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022): s̃(x, t) = (1 + w)·s(x, t, y) − w·s(x, t, ∅).
 * w = 0 is plain conditional sampling; w &gt; 0 sharpens. The conditional and unconditional scores are
 * evaluated in one batch of twice the size.
 */
public final class ClassifierFreeGuidance implements ScoreModel {
  private final ConditionalScoreModel model;
  private final NDArray labels; // (batch) int32
  private final double weight;

  public ClassifierFreeGuidance(ConditionalScoreModel model, NDArray labels, double weight) {
    if (!(weight >= 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("guidance weight must be finite and ≥ 0, got " + weight);
    }
    this.model = model;
    this.labels = labels.toType(DataType.INT32, false);
    this.weight = weight;
  }

  @Override
  public NDArray score(NDArray x, NDArray t) {
    if (weight == 0) {
      return model.score(x, t, labels);
    }
    long b = x.getShape().get(0);
    NDArray none = labels.onesLike().mul(model.noLabel());
    NDArray both = model.score(x.concat(x, 0), t.concat(t, 0), labels.concat(none, 0));
    NDArray cond = both.get("0:" + b);
    NDArray uncond = both.get(b + ":");
    return cond.mul(1 + weight).sub(uncond.mul(weight));
  }
}
