package dev.scoresde.sde;

import ai.djl.ndarray.NDArray;

/**
 * s(x, t) ≈ ∇ₓ log p_t(x), the one thing the reverse-time SDE needs of a score model (the reference's
 * {@code score_fn}): learned networks and exact mixture scores alike are score functions.
 */
@FunctionalInterface
public interface ScoreFunction {

  /**
   * @param x the state, (batch, ...) — any trailing shape (d) or (c, h, w)
   * @param t the time of each row, (batch)
   * @return the score, same shape as {@code x}, owned by x's manager
   */
  NDArray score(NDArray x, NDArray t);
}
