package dev.scoresde.sampling.fast;

import dev.scoresde.sde.Sde;

/**
 * The noise schedule of an SDE seen as its Gaussian kernel p_0t(x(t) | x(0)) = N(α(t) x(0), σ(t)² I): the
 * half log-SNR λ(t) = log(α(t)/σ(t)) of DPM-Solver (Lu et al. 2022, Section 3.1) and the EDM noise level
 * σ̃(t) = σ(t)/α(t) = e^{−λ(t)} of the scaled state x/α (Karras et al. 2022, Eq. 4; for VP
 * σ̃ = √(1−ᾱ)/√ᾱ). All three SDEs of the paper have λ strictly decreasing in t, so t(λ) is found by
 * bisection on [0, T].
 */
public record NoiseLevels(Sde sde) {

  private static final int BISECTIONS = 200;

  public double alpha(double t) {
    return sde.meanCoefficient(t);
  }

  public double sigma(double t) {
    return sde.marginalStd(t);
  }

  /** λ(t) = log α(t) − log σ(t). */
  public double lambda(double t) {
    return Math.log(alpha(t)) - Math.log(sigma(t));
  }

  /** σ̃(t) = σ(t)/α(t), the noise level of the scaled state x/α. */
  public double sigmaTilde(double t) {
    return sigma(t) / alpha(t);
  }

  /** The time t in [0, T] with λ(t) = lambda (clamped to the ends when lambda lies outside λ's range). */
  public double timeOfLambda(double lambda) {
    double lo = 0;
    double hi = sde.endTime();
    for (int i = 0; i < BISECTIONS && hi - lo > 0; i++) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      // λ decreases in t: a mid whose λ is still above the target lies before the answer.
      if (lambda(mid) > lambda) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** The time at which σ̃(t) = sigmaTilde. */
  public double timeOfSigmaTilde(double sigmaTilde) {
    return timeOfLambda(-Math.log(sigmaTilde));
  }
}
