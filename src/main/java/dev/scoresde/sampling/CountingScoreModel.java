package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.ScoreModel;

/** Counts the evaluations of a score model, each covering the whole batch: a sampler's exact NFE. */
final class CountingScoreModel implements ScoreModel {
  private final ScoreModel model;
  private int count;

  CountingScoreModel(ScoreModel model) {
    this.model = model;
  }

  @Override
  public NDArray score(NDArray x, NDArray t) {
    count++;
    return model.score(x, t);
  }

  int count() {
    return count;
  }
}
