package dev.scoresde.score;

import ai.djl.ndarray.NDArray;

/** A time-dependent score model s(x, t) ≈ ∇ₓ log p_t(x) (Song et al. 2021, Eq. 7). */
@FunctionalInterface
public interface ScoreModel {

  /**
   * @param x the state, (batch, ...) — any trailing shape (d) or (c, h, w)
   * @param t the time of each row, (batch)
   * @return the score, same shape as {@code x}, owned by x's manager
   */
  NDArray score(NDArray x, NDArray t);
}
