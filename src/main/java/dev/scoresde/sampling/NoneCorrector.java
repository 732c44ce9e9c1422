package dev.scoresde.sampling;

import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;

/** No corrector: a predictor-only sampler. */
public record NoneCorrector() implements Corrector {

  @Override
  public State update(ScoreModel score, Sde sde, State state, double t, Rng rng) {
    return state;
  }

  @Override
  public int evaluations() {
    return 0;
  }
}
