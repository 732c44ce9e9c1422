package dev.scoresde.sde;

/**
 * The variance-preserving SDE dx = −½β(t)x dt + sqrt(β(t)) dw (Song et al. 2021, Eq. 11); its
 * discretization is the DDPM chain, Eq. 10.
 */
public record VpSde(LinearBetaSchedule schedule) implements BetaScheduleSde {

  public static final double PAPER_BETA_MIN = 0.1;
  public static final double PAPER_BETA_MAX = 20;

  public VpSde(double betaMin, double betaMax, int steps) {
    this(new LinearBetaSchedule(betaMin, betaMax, steps));
  }

  /** The paper's defaults: β_min = 0.1, β_max = 20, N = 1000. */
  public static VpSde paper() {
    return new VpSde(PAPER_BETA_MIN, PAPER_BETA_MAX, 1000);
  }

  @Override
  public SdeKind kind() {
    return SdeKind.VP;
  }

  @Override
  public double diffusion(double t) {
    return Math.sqrt(schedule.beta(t));
  }

  /** σ(t) = sqrt(1 − exp(−∫₀ᵗ β)), Eq. 29. */
  @Override
  public double marginalStd(double t) {
    return Math.sqrt(-Math.expm1(2 * schedule.logMeanCoefficient(t)));
  }

  /** Eq. 10: x_i = sqrt(1 − β_i) x_{i−1} + sqrt(β_i) z. */
  @Override
  public DiscreteStep discreteStep(double t) {
    double b = schedule.discreteBeta(timestep(t));
    return new DiscreteStep(Math.sqrt(1 - b) - 1, Math.sqrt(b));
  }
}
