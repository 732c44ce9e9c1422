package dev.scoresde.sampling;

import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;

/**
 * A predictor of the PC sampler (Song et al. 2021, Section 4.2, Algorithm 1): one step of a numerical
 * solver of the reverse-time SDE from t to tNext &lt; t. A pure function of its arguments and its settings;
 * every step returns the next state and its mean without the step's fresh noise.
 */
public interface Predictor {

  /**
   * @param score the score model s(x, t)
   * @param sde the forward SDE; the discrete-chain predictors use its chain levels at t
   * @param state the state at time t, x and mean (batch, ...)
   * @param t the time of every row
   * @param tNext the time after the step (0 on the final step of the reference order, the data end)
   * @param rng one stream per row
   * @return the state at tNext, (batch, ...) each, in state.x()'s manager
   */
  State update(ScoreModel score, Sde sde, State state, double t, double tNext, Rng rng);

  /** Throws IllegalArgumentException when this predictor is not defined for {@code sde}. */
  default void requireSupports(Sde sde) {}

  /** Score evaluations per step. */
  default int evaluations() {
    return 1;
  }
}
