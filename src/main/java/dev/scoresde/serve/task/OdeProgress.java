package dev.scoresde.serve.task;

import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.ode.OdeListener;

/**
 * Adaptive-solver iterations as sampler progress: the total is estimated from the fraction of the time
 * interval covered; {@code offset} steps and NFE come from earlier phases of the same operation.
 */
final class OdeProgress implements OdeListener {
  private final SamplingListener listener;
  private final double from;
  private final double to;
  private final int stepOffset;
  private final int nfeOffset;
  private int iterations;

  OdeProgress(SamplingListener listener, double from, double to, int stepOffset, int nfeOffset) {
    this.listener = listener;
    this.from = from;
    this.to = to;
    this.stepOffset = stepOffset;
    this.nfeOffset = nfeOffset;
  }

  @Override
  public void onIteration(int acceptedSteps, int nfe, double t) {
    iterations++;
    double done = Math.abs(t - from) / Math.abs(to - from);
    int total = done > 0 ? Math.max(iterations, (int) Math.ceil(iterations / Math.min(1, done))) : iterations + 1;
    listener.onStep(new SamplingListener.Progress(stepOffset + iterations, stepOffset + total, nfeOffset + nfe, t));
  }

  int iterations() {
    return iterations;
  }
}
