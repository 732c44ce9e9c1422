package dev.scoresde.sampling;

/**
 * Per-step progress of a sampler. A listener may throw {@link java.util.concurrent.CancellationException}
 * to stop the sampler (client gone, deadline passed, job cancelled).
 */
@FunctionalInterface
public interface SamplingListener {

  SamplingListener NONE = p -> {};

  void onStep(Progress progress);

  /**
   * @param step steps done so far
   * @param totalSteps the planned number of steps (an estimate for adaptive solvers)
   * @param nfe score evaluations so far (per batch row)
   * @param t the current time (the most advanced row for adaptive solvers)
   */
  record Progress(int step, int totalSteps, int nfe, double t) {}
}
