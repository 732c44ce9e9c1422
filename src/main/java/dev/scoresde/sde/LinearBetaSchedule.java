package dev.scoresde.sde;

/**
 * β(t) = β_min + t (β_max − β_min) on [0, 1], shared by the VP and sub-VP SDEs, with its integral and the
 * DDPM chain's discrete β_i = β(i/(N−1))/N (Song et al. 2021, Appendix B).
 */
public record LinearBetaSchedule(double betaMin, double betaMax, int steps) {

  public LinearBetaSchedule {
    if (!(betaMin > 0) || !(betaMax > betaMin) || !Double.isFinite(betaMax)) {
      throw new IllegalArgumentException("need 0 < betaMin < betaMax, got " + betaMin + ", " + betaMax);
    }
    if (steps < 2) {
      throw new IllegalArgumentException("need at least 2 steps, got " + steps);
    }
  }

  public double beta(double t) {
    return betaMin + t * (betaMax - betaMin);
  }

  /** ∫₀ᵗ β(s) ds. */
  public double integral(double t) {
    return betaMin * t + 0.5 * (betaMax - betaMin) * t * t;
  }

  /** log α(t) = −½ ∫₀ᵗ β(s) ds, the log mean coefficient of both SDEs. */
  public double logMeanCoefficient(double t) {
    return -0.5 * integral(t);
  }

  /** β_i of the DDPM chain (Ho et al. 2020), i in [0, N). */
  public double discreteBeta(int i) {
    return (betaMin + i * (betaMax - betaMin) / (steps - 1)) / steps;
  }

  /** ᾱ_i = Π_{j≤i} (1 − β_j). */
  public double alphaBar(int i) {
    double p = 1;
    for (int j = 0; j <= i; j++) {
      p *= 1 - discreteBeta(j);
    }
    return p;
  }
}
