package dev.scoresde.sampling;

/**
 * Over which rows the Langevin corrector measures ‖z‖ and ‖s‖ for its step ε = 2α (r ‖z‖ / ‖s‖)².
 *
 * <p>{@link #PER_ROW} (the default) uses each row's own norms, so a row's result does not depend on
 * what else shares its batch: a merged batch of requests reproduces each request run alone. The price is
 * a noisier step size per row (‖z‖ and ‖s‖ of one sample rather than a batch mean); for high-dimensional
 * data ‖z‖ ≈ sqrt(d) concentrates and the two agree, for d of a few the per-row step fluctuates.
 *
 * <p>{@link #BATCH} is the reference code's choice: the batch means of ‖z‖ and ‖s‖, one step size for all
 * rows. It couples the rows, so a row's sample changes with its batch companions.
 */
public enum StepSizeScope {
  PER_ROW,
  BATCH
}
