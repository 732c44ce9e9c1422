package dev.scoresde.sampling.fast;

/**
 * One DPM-Solver++ step from s to t as a linear combination x_t = a·x_s + Σ_j c_j·x̂₀(λ_j) + b·z of the
 * state, the latest data predictions (newest first) and fresh noise (Lu et al. 2022b, "DPM-Solver++").
 * The exact solution of the probability-flow ODE in λ = log(α/σ) is
 * x_t = (σ_t/σ_s) x_s + σ_t ∫_{λ_s}^{λ_t} e^λ x̂₀(λ) dλ (their Eq. 9); the multistep methods replace x̂₀ by
 * the polynomial through the last k predictions, with h = λ_t − λ_s and the weights
 * ψ_n(h) = e^{−h} ∫₀ʰ e^u uⁿ/n! du: ψ₀ = 1 − e^{−h}, ψ₁ = h − 1 + e^{−h}, ψ₂ = h²/2 − h + 1 − e^{−h}.
 */
public final class DpmSolverCoefficients {
  private DpmSolverCoefficients() {}

  /**
   * The deterministic k-step update (k = 1, 2, 3).
   *
   * @param lambdas λ of the predictions used, newest (λ_s) first; at least k of them
   * @param lambdaT λ_t
   * @return {a, c_0, …, c_{k−1}}
   */
  public static double[] ode(int k, double[] lambdas, double lambdaT, double alphaT, double sigmaT, double sigmaS) {
    double h = lambdaT - lambdas[0];
    double psi0 = -Math.expm1(-h);
    double[] c = new double[k + 1];
    c[0] = sigmaT / sigmaS;
    switch (k) {
      case 1 -> c[1] = alphaT * psi0; // DPM-Solver++(1) = DDIM
      case 2 -> {
        // Algorithm 2 (DPM-Solver++(2M)): D = (1 + 1/(2r)) x̂₀_s − 1/(2r) x̂₀_{s−1}, r = h_{−1}/h.
        double r = (lambdas[0] - lambdas[1]) / h;
        c[1] = alphaT * psi0 * (1 + 1 / (2 * r));
        c[2] = -alphaT * psi0 / (2 * r);
      }
      case 3 -> {
        // Quadratic through the last three predictions: D1 ≈ h x̂₀'(λ_s), D2 ≈ h² x̂₀''(λ_s)/2, as in the
        // reference multistep code, with the exact weights ψ₁/h for D1 and 2ψ₂/h² for D2. (The reference
        // weighs D2 by ψ₂/h², half the Taylor weight, which leaves an O(h³) local error: second order.)
        double r0 = (lambdas[0] - lambdas[1]) / h;
        double r1 = (lambdas[1] - lambdas[2]) / h;
        double[] d10 = {1 / r0, -1 / r0, 0};
        double[] d11 = {0, 1 / r1, -1 / r1};
        double psi1 = h + Math.expm1(-h);
        double psi2 = h * h / 2 - h - Math.expm1(-h);
        for (int j = 0; j < 3; j++) {
          double diff = d10[j] - d11[j];
          double d1 = d10[j] + r0 / (r0 + r1) * diff;
          double d2 = diff / (r0 + r1);
          c[j + 1] = alphaT * ((j == 0 ? psi0 : 0) + psi1 / h * d1 + 2 * psi2 / (h * h) * d2);
        }
      }
      default -> throw new IllegalArgumentException("DPM-Solver++ order must be 1, 2 or 3, got " + k);
    }
    return c;
  }

  /**
   * The SDE-DPM-Solver++ update of order k = 1 or 2 (Lu et al. 2022b, Appendix: SDE-DPM-Solver++(2M)),
   * exact for the reverse SDE when x̂₀ is constant (k = 1: DDIM with η = 1):
   * x_t = (σ_t/σ_s) e^{−h} x_s + α_t (1 − e^{−2h}) D + σ_t √(1 − e^{−2h}) z,
   * D = x̂₀_s + (x̂₀_s − x̂₀_{s−1})/(2r) for k = 2.
   *
   * @return {a, c_0, …, c_{k−1}, b}
   */
  public static double[] sde(int k, double[] lambdas, double lambdaT, double alphaT, double sigmaT, double sigmaS) {
    double h = lambdaT - lambdas[0];
    double oneMinus = -Math.expm1(-2 * h);
    double[] c = new double[k + 2];
    c[0] = sigmaT / sigmaS * Math.exp(-h);
    switch (k) {
      case 1 -> c[1] = alphaT * oneMinus;
      case 2 -> {
        double r = (lambdas[0] - lambdas[1]) / h;
        c[1] = alphaT * oneMinus * (1 + 1 / (2 * r));
        c[2] = -alphaT * oneMinus / (2 * r);
      }
      default -> throw new IllegalArgumentException("SDE-DPM-Solver++ order must be 1 or 2, got " + k);
    }
    c[k + 1] = sigmaT * Math.sqrt(oneMinus);
    return c;
  }
}
