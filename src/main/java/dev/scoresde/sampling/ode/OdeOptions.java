package dev.scoresde.sampling.ode;

/**
 * @param rtol relative tolerance (paper: 1e-5)
 * @param atol absolute tolerance (paper: 1e-5)
 * @param maxSteps bound on solver iterations, so a stiff or broken model cannot run forever
 * @param firstStep the first step size, or 0 for the automatic choice
 */
public record OdeOptions(double rtol, double atol, int maxSteps, double firstStep) {

  public OdeOptions {
    if (!(rtol > 0) || !(atol > 0)) {
      throw new IllegalArgumentException("rtol and atol must be positive");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be positive");
    }
    if (firstStep < 0 || !Double.isFinite(firstStep)) {
      throw new IllegalArgumentException("firstStep must be ≥ 0");
    }
  }

  /** The paper's setting: rtol = atol = 1e-5. */
  public static OdeOptions paper() {
    return new OdeOptions(1e-5, 1e-5, 10_000, 0);
  }

  public static OdeOptions of(double rtol, double atol) {
    return new OdeOptions(rtol, atol, 10_000, 0);
  }
}
