package dev.scoresde.sampling;

import dev.scoresde.sampling.ode.OdeListener;
import java.util.function.IntUnaryOperator;

/**
 * Adaptive-solver iterations as sampler progress: the total is estimated from the fraction of the time
 * interval [from, to] covered; {@code stepOffset} steps come from earlier phases of the same operation.
 */
public final class OdeProgress implements OdeListener {
  private final SamplingListener listener;
  private final double from;
  private final double to;
  private final int stepOffset;
  private final IntUnaryOperator nfe;
  private int iterations;

  /**
   * @param nfe the operation's score evaluations so far, given the solver's (which count from 0 in each solve)
   */
  public OdeProgress(SamplingListener listener, double from, double to, int stepOffset, IntUnaryOperator nfe) {
    this.listener = listener;
    this.from = from;
    this.to = to;
    this.stepOffset = stepOffset;
    this.nfe = nfe;
  }

  /** The first or only phase of an operation: the solver's steps and evaluations are the operation's. */
  public OdeProgress(SamplingListener listener, double from, double to) {
    this(listener, from, to, 0, n -> n);
  }

  @Override
  public void onIteration(int acceptedSteps, int solverNfe, double t) {
    iterations++;
    double done = Math.abs(t - from) / Math.abs(to - from);
    int total = done > 0 ? Math.max(iterations, (int) Math.ceil(iterations / Math.min(1, done))) : iterations + 1;
    listener.onStep(new SamplingListener.Progress(stepOffset + iterations, stepOffset + total,
        nfe.applyAsInt(solverNfe), t));
  }

  /** The solver iterations reported so far. */
  public int iterations() {
    return iterations;
  }
}
