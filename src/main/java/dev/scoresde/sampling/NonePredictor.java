package dev.scoresde.sampling;

import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;

/** No predictor: a corrector-only sampler (annealed Langevin dynamics over the grid). */
public record NonePredictor() implements Predictor {

  @Override
  public State update(ScoreModel score, Sde sde, State state, double t, double tNext, Rng rng) {
    return state;
  }

  @Override
  public int evaluations() {
    return 0;
  }
}
