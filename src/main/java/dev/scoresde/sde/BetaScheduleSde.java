package dev.scoresde.sde;

/**
 * The SDEs driven by the linear β schedule, VP and sub-VP (Song et al. 2021, Eqs. 11 and 12): both have
 * the drift −½β(t)x, the mean coefficient α(t) = exp(−½∫₀ᵗβ), the prior N(0, I) and ε = 1e-3; they
 * differ in g(t), σ(t) and their discrete chain.
 */
public interface BetaScheduleSde extends Sde {

  LinearBetaSchedule schedule();

  @Override
  default int steps() {
    return schedule().steps();
  }

  @Override
  default double samplingEps() {
    return 1e-3;
  }

  @Override
  default double driftCoefficient(double t) {
    return -0.5 * schedule().beta(t);
  }

  @Override
  default double meanCoefficient(double t) {
    return Math.exp(schedule().logMeanCoefficient(t));
  }

  @Override
  default double priorStd() {
    return 1;
  }

  /** α_i = 1 − β_i of the β schedule (Algorithm 5); the reference's sub-VP corrector crashes here (no alphas). */
  @Override
  default double langevinAlpha(double t) {
    return 1 - schedule().discreteBeta(timestep(t));
  }
}
