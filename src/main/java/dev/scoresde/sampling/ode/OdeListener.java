package dev.scoresde.sampling.ode;

/** Progress of an adaptive ODE solve; may throw CancellationException to stop it. */
@FunctionalInterface
public interface OdeListener {

  OdeListener NONE = (accepted, nfe, t) -> {};

  /**
   * @param acceptedSteps accepted row-steps so far (summed over rows)
   * @param nfe right-hand-side evaluations so far (each covers the whole batch)
   * @param t the time of the least advanced row
   */
  void onIteration(int acceptedSteps, int nfe, double t);
}
