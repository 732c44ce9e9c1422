package dev.scoresde.control;

import dev.scoresde.score.TimeDependentClassifier;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Scalars;

/**
 * Classifier guidance (Song et al. 2021, Section 5 and Eq. 14): the conditional reverse SDE uses
 * ∇ₓ log p_t(x | y) = ∇ₓ log p_t(x) + ∇ₓ log p_t(y | x); with a weight w the guided score is
 * s(x, t) + w·∇ₓ log p_t(y | x(t)) (w = 1 is the paper's conditional SDE, w &gt; 1 sharpens). The gradient
 * is taken by autograd through the time-dependent classifier, under the JVM-wide autograd lock.
 * A {@link ScoreModel}, so every sampler can use it.
 */
public final class ClassifierGuidance implements ScoreModel {
  private final ScoreModel score;
  private final TimeDependentClassifier classifier;
  private final int[] labels; // (batch)
  private final double weight;

  /**
   * @param labels the class of each row (checked against the classifier's K when it is first evaluated)
   * @param weight the guidance scale w ≥ 0
   */
  public ClassifierGuidance(ScoreModel score, TimeDependentClassifier classifier, int[] labels, double weight) {
    if (!(weight >= 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("guidance scale must be finite and ≥ 0, got " + weight);
    }
    this.score = score;
    this.classifier = classifier;
    this.labels = Labels.nonNegative(labels);
    this.weight = weight;
  }

  /** @param labels the class of each row, (batch) of any integer type */
  public ClassifierGuidance(ScoreModel score, TimeDependentClassifier classifier, NDArray labels, double weight) {
    this(score, classifier, Labels.toInts(labels), weight);
  }

  @Override
  public NDArray score(NDArray x, NDArray t) {
    NDArray s = score.score(x, t);
    if (weight == 0) {
      return s;
    }
    return s.add(Scalars.mul(classLogLikelihoodGradient(x, t), weight));
  }

  /** ∇ₓ log p_t(y | x) for each row's label, (batch, ...), in x's manager and detached from any graph. */
  public NDArray classLogLikelihoodGradient(NDArray x, NDArray t) {
    Labels.requireRows(x, labels);
    NDManager owner = x.getManager();
    return Autograd.withGradient(collector -> {
      try (NDManager scope = owner.newSubManager()) {
        NDArray leaf = x.duplicate();
        leaf.attach(scope);
        leaf.setRequiresGradient(true);
        NDArray logp = classifier.logProbabilities(leaf, t); // (batch, K)
        int classes = Math.toIntExact(logp.getShape().get(1));
        Labels.check(labels, classes);
        // Rows are independent, so the gradient of the sum is each row's own ∇ log p_t(y_i | x_i).
        NDArray picked = logp.mul(scope.create(labels).oneHot(classes)).sum();
        collector.backward(picked);
        NDArray grad = leaf.getGradient().duplicate();
        grad.attach(owner);
        return grad;
      }
    });
  }
}
