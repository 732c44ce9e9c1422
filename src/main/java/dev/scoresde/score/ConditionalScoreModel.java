package dev.scoresde.score;

import ai.djl.ndarray.NDArray;

/**
 * A score model that also takes a class label per row: s(x, t, y) ≈ ∇ₓ log p_t(x | y), and with the
 * "no label" token {@link #noLabel()} the unconditional score (the model of classifier-free guidance).
 */
public interface ConditionalScoreModel {

  /** The number of classes K; labels are 0..K−1 and K means "no label". */
  int numClasses();

  default int noLabel() {
    return numClasses();
  }

  /**
   * @param x the state, (batch, ...)
   * @param t the time of each row, (batch)
   * @param labels the class of each row, (batch) int32, {@link #noLabel()} for unconditional rows
   * @return the score, same shape as x
   */
  NDArray score(NDArray x, NDArray t, NDArray labels);
}
