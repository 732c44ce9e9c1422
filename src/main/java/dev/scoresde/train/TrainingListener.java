package dev.scoresde.train;

/** A hook after every training step (tests use it to abort a run between checkpoints). */
@FunctionalInterface
public interface TrainingListener {

  TrainingListener NONE = (step, loss) -> {};

  /** Called after step {@code step} (1-based count of steps done) with its loss. */
  void afterStep(long step, double loss);
}
