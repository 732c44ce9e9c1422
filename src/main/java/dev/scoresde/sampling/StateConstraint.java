package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;

/**
 * A constraint that a sampler applies after every predictor and corrector step and to the start
 * state (inpainting's known pixels, colorization's gray channel): conditioning without new sampler code.
 */
@FunctionalInterface
public interface StateConstraint {

  StateConstraint NONE = (state, t, sde, rng) -> state;

  /**
   * @param state the state after a step, whose rows are at time t
   * @param t the time of each row, (batch)
   * @param sde the SDE being sampled, for perturbing observations to time t
   * @param rng the sampler's randomness
   * @return the constrained state (may be {@code state} itself)
   */
  State apply(State state, NDArray t, Sde sde, Rng rng);
}
