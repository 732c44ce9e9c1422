package dev.scoresde.sde;

/**
 * The variance-exploding SDE dx = sqrt(d[σ²(t)]/dt) dw with σ(t) = σ_min (σ_max/σ_min)^t
 * (Song et al. 2021, Eq. 9 and Appendix C); its discretization is the SMLD (NCSN) chain, Eq. 8.
 */
public record VeSde(double sigmaMin, double sigmaMax, int steps) implements Sde {

  public static final double PAPER_SIGMA_MIN = 0.01;
  public static final double PAPER_SIGMA_MAX = 50;
  public static final int PAPER_STEPS = 1000;

  public VeSde {
    if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || !Double.isFinite(sigmaMax)) {
      throw new IllegalArgumentException("VE SDE needs 0 < sigmaMin < sigmaMax, got " + sigmaMin + ", " + sigmaMax);
    }
    if (steps < 2) {
      throw new IllegalArgumentException("VE SDE needs at least 2 steps, got " + steps);
    }
  }

  /** The paper's defaults: σ_min = 0.01, σ_max = 50, N = 1000. */
  public static VeSde paper() {
    return new VeSde(PAPER_SIGMA_MIN, PAPER_SIGMA_MAX, PAPER_STEPS);
  }

  @Override
  public SdeKind kind() {
    return SdeKind.VE;
  }

  @Override
  public double samplingEps() {
    return 1e-5;
  }

  /** σ(t) = σ_min (σ_max/σ_min)^t. */
  public double sigma(double t) {
    return sigmaMin * Math.pow(sigmaMax / sigmaMin, t);
  }

  /** The time at which σ(t) = sigma (inverse of {@link #sigma(double)}). */
  public double timeOfSigma(double sigma) {
    return Math.log(sigma / sigmaMin) / Math.log(sigmaMax / sigmaMin);
  }

  /** σ_i of the SMLD chain: geometric from σ_min to σ_max over N levels. */
  public double discreteSigma(int i) {
    return Math.exp(Math.log(sigmaMin) + i * (Math.log(sigmaMax) - Math.log(sigmaMin)) / (steps - 1));
  }

  @Override
  public double driftCoefficient(double t) {
    return 0;
  }

  @Override
  public double diffusion(double t) {
    return sigma(t) * Math.sqrt(2 * Math.log(sigmaMax / sigmaMin));
  }

  @Override
  public double meanCoefficient(double t) {
    return 1;
  }

  /** The reference convention: p_0t has std σ(t) (data sits at σ = 0 and the chain's first jump is to σ_min). */
  @Override
  public double marginalStd(double t) {
    return sigma(t);
  }

  /** Eq. 8: x_i = x_{i-1} + sqrt(σ_i² − σ_{i-1}²) z, with σ_{-1} = 0. */
  @Override
  public DiscreteStep discreteStep(double t) {
    int i = timestep(t);
    double s = discreteSigma(i);
    double prev = i == 0 ? 0 : discreteSigma(i - 1);
    return new DiscreteStep(0, Math.sqrt(s * s - prev * prev));
  }

  @Override
  public double priorStd() {
    return sigmaMax;
  }
}
