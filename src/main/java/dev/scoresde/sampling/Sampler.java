package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;

/**
 * A sampler: a plain function of (score model, SDE, start state, context). The start state x_T is
 * drawn by the caller (usually {@link Sde#priorSample}); the sampler integrates from T to its end time.
 * Samplers hold only their settings, never state between calls.
 */
public interface Sampler {

  /**
   * @param model the score model
   * @param sde the forward SDE the model was trained for
   * @param xT the start state at time T, (batch, ...); not closed by the sampler
   * @param ctx randomness (one stream per row), constraints, progress
   */
  SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx);
}
