package dev.scoresde.score;

import ai.djl.ndarray.NDArray;

/** A noise-conditional classifier p_t(y | x(t)) (Song et al. 2021, Section 5): the guide of class-conditional sampling. */
@FunctionalInterface
public interface TimeDependentClassifier {

  /**
   * @param x the noisy state, (batch, ...); may require gradient — the result must be differentiable in x
   * @param t the time of each row, (batch)
   * @return log p_t(y = k | x) for every class, (batch, K)
   */
  NDArray logProbabilities(NDArray x, NDArray t);
}
