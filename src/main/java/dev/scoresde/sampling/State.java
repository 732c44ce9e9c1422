package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;

/**
 * The sampler state after a step: the noisy state x and its noise-free mean (what the step would give
 * without its fresh noise; the reference code's {@code x_mean}). Both (batch, ...).
 */
public record State(NDArray x, NDArray mean) {

  /** A state whose mean is the state itself (deterministic steps, and the start). */
  public static State of(NDArray x) {
    return new State(x, x);
  }
}
