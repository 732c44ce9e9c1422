package dev.scoresde.sde;

/**
 * The sub-VP SDE dx = −½β(t)x dt + sqrt(β(t)(1 − e^{−2∫₀ᵗβ})) dw (Song et al. 2021, Eq. 12), whose
 * variance stays below the VP SDE's; discretized by Euler–Maruyama with step 1/N.
 */
public record SubVpSde(LinearBetaSchedule schedule) implements BetaScheduleSde {

  public SubVpSde(double betaMin, double betaMax, int steps) {
    this(new LinearBetaSchedule(betaMin, betaMax, steps));
  }

  /** The paper's defaults: β_min = 0.1, β_max = 20, N = 1000. */
  public static SubVpSde paper() {
    return new SubVpSde(VpSde.PAPER_BETA_MIN, VpSde.PAPER_BETA_MAX, 1000);
  }

  @Override
  public SdeKind kind() {
    return SdeKind.SUBVP;
  }

  @Override
  public double diffusion(double t) {
    return Math.sqrt(schedule.beta(t) * -Math.expm1(-2 * schedule.integral(t)));
  }

  /** σ(t) = 1 − exp(−∫₀ᵗ β), Eq. 30 of Appendix B. */
  @Override
  public double marginalStd(double t) {
    return -Math.expm1(2 * schedule.logMeanCoefficient(t));
  }

  /** Euler–Maruyama: f_i(x) = f(x, t)/N, G_i = g(t)/sqrt(N). */
  @Override
  public DiscreteStep discreteStep(double t) {
    double dt = endTime() / steps();
    return new DiscreteStep(driftCoefficient(t) * dt, diffusion(t) * Math.sqrt(dt));
  }
}
