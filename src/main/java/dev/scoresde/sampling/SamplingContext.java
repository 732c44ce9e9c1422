package dev.scoresde.sampling;

import dev.scoresde.tensor.Rng;

/** What every sampler call gets besides the model and the start state: randomness, constraints, progress. */
public record SamplingContext(Rng rng, StateConstraint constraint, SamplingListener listener) {

  public SamplingContext {
    constraint = constraint == null ? StateConstraint.NONE : constraint;
    listener = listener == null ? SamplingListener.NONE : listener;
  }

  public static SamplingContext of(Rng rng) {
    return new SamplingContext(rng, StateConstraint.NONE, SamplingListener.NONE);
  }

  public SamplingContext withConstraint(StateConstraint c) {
    return new SamplingContext(rng, c, listener);
  }

  public SamplingContext withListener(SamplingListener l) {
    return new SamplingContext(rng, constraint, l);
  }
}
