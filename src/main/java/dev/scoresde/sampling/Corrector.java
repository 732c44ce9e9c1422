package dev.scoresde.sampling;

import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;

/**
 * A corrector of the PC sampler (Song et al. 2021, Section 4.2): score-based MCMC at a fixed time t that
 * moves the state towards p_t. A pure function of its arguments and its settings.
 */
public interface Corrector {

  /**
   * @param score the score model s(x, t)
   * @param sde the forward SDE
   * @param state the state at time t, x and mean (batch, ...)
   * @param t the time of every row
   * @param rng one stream per row
   * @return the corrected state at t (the mean of its last step without noise), in state.x()'s manager
   */
  State update(ScoreModel score, Sde sde, State state, double t, Rng rng);

  /** Score evaluations per call (the number of MCMC steps per noise level). */
  int evaluations();
}
