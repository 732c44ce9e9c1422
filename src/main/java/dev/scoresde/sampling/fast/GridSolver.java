package dev.scoresde.sampling.fast;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;

/** A fast solver that walks a time grid of {@code steps} intervals from T to ε, of kind {@code grid}. */
public interface GridSolver extends Sampler {

  /** Solver steps (grid intervals). */
  int steps();

  /** Where the steps go. */
  TimeGridKind grid();

  /** ε, the last time. */
  double eps();

  @Override
  default SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx) {
    return sample(model, sde, xT, ctx, grid().grid(sde, eps(), steps() + 1));
  }

  /** Samples on an explicit grid (its intervals are the steps). xT (batch, ...) at grid.get(0); not closed. */
  SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx, TimeGrid times);
}
