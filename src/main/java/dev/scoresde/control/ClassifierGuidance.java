package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.tensor.Autograd;

/**
 * Classifier guidance (Song et al. 2021, Section 5 and Eq. 14): the conditional reverse SDE uses
 * ∇ₓ log p_t(x | y) = ∇ₓ log p_t(x) + ∇ₓ log p_t(y | x); with a weight w the guided score is
 * s(x, t) + w·∇ₓ log p_t(y | x(t)) (w = 1 is the paper's conditional SDE, w &gt; 1 sharpens). The gradient
 * is taken by autograd through the time-dependent classifier, under the JVM-wide autograd lock.
 */
public final class ClassifierGuidance implements ScoreModel {
  private final ScoreModel score;
  private final TimeDependentClassifier classifier;
  private final NDArray labels; // (batch) int32
  private final double weight;

  public ClassifierGuidance(ScoreModel score, TimeDependentClassifier classifier, NDArray labels, double weight) {
    if (!(weight >= 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("guidance scale must be finite and ≥ 0, got " + weight);
    }
    this.score = score;
    this.classifier = classifier;
    this.labels = labels.toType(DataType.INT32, false);
    this.weight = weight;
  }

  @Override
  public NDArray score(NDArray x, NDArray t) {
    NDArray s = score.score(x, t);
    if (weight == 0) {
      return s;
    }
    return s.add(classLogLikelihoodGradient(x, t).mul(weight));
  }

  /** ∇ₓ log p_t(y | x) for each row's label, (batch, ...), in x's manager and detached from any graph. */
  public NDArray classLogLikelihoodGradient(NDArray x, NDArray t) {
    NDManager owner = x.getManager();
    return Autograd.withGradient(collector -> {
      try (NDManager scope = owner.newSubManager()) {
        NDArray leaf = x.duplicate();
        leaf.attach(scope);
        leaf.setRequiresGradient(true);
        NDArray logp = classifier.logProbabilities(leaf, t); // (batch, K)
        NDArray picked = logp.mul(labels.oneHot((int) logp.getShape().get(1))).sum();
        collector.backward(picked);
        NDArray grad = leaf.getGradient().duplicate();
        grad.attach(owner);
        return grad;
      }
    });
  }
}
