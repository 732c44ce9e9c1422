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

  /**
   * UniC, the corrector of UniPC (Zhao et al. 2023, Algorithm 2, data prediction, B(h) = e^{−h} − 1 as in their
   * "bh2"): once the step from s to t is taken and x̂₀_t is evaluated at its end, x_t is recomputed from x_s with
   * x̂₀_t among the predictions, x_t = (σ_t/σ_s) x_s + α_t ψ₀ x̂₀_s − α_t B(h) (Σ_{i<k} ρ_i D_i + ρ_k (x̂₀_t − x̂₀_s)),
   * D_i = (x̂₀_{s−i} − x̂₀_s)/r_i, r_i = (λ_{s−i} − λ_s)/h, where ρ solves their order conditions
   * Σ_j ρ_j r_j^{m−1} = m! φ_{m+1}(h)/B(h), m = 1..k (r_k = 1; k = 1 takes their ρ = 1/2). It reuses x̂₀_t
   * for the next step, so it costs no evaluation and raises the order by one.
   *
   * @param k the order of the step being corrected (1, 2 or 3)
   * @param lambdas λ of the predictions before t, newest (λ_s) first; at least k of them
   * @return {a, c_t, c_0, …, c_{k−1}}: the weights of x_s, x̂₀_t, x̂₀_s, x̂₀_{s−1}, …
   */
  public static double[] uniC(int k, double[] lambdas, double lambdaT, double alphaT, double sigmaT, double sigmaS) {
    if (k < 1 || k > 3) {
      throw new IllegalArgumentException("UniC order must be 1, 2 or 3, got " + k);
    }
    double h = lambdaT - lambdas[0];
    double bh = Math.expm1(-h);
    double[] r = new double[k];
    for (int i = 1; i < k; i++) {
      r[i - 1] = (lambdas[i] - lambdas[0]) / h;
    }
    r[k - 1] = 1;
    double[] rho = k == 1 ? new double[] {0.5} : solve(orderMatrix(r), orderVector(k, h, bh));
    double[] c = new double[k + 2];
    c[0] = sigmaT / sigmaS;
    c[1] = -alphaT * bh * rho[k - 1];
    c[2] = -alphaT * bh + alphaT * bh * rho[k - 1];
    for (int i = 1; i < k; i++) {
      c[2] += alphaT * bh * rho[i - 1] / r[i - 1];
      c[2 + i] = -alphaT * bh * rho[i - 1] / r[i - 1];
    }
    return c;
  }

  /** R_{mj} = r_j^m, m = 0..k−1. */
  private static double[][] orderMatrix(double[] r) {
    double[][] a = new double[r.length][r.length];
    for (int m = 0; m < r.length; m++) {
      for (int j = 0; j < r.length; j++) {
        a[m][j] = Math.pow(r[j], m);
      }
    }
    return a;
  }

  /** b_m = m!·g_m/B(h), m = 1..k, with UniPC's recursion g₁ = (e^{−h} − 1)/(−h) − 1, g_{m+1} = g_m/(−h) − 1/(m+1)!. */
  private static double[] orderVector(int k, double h, double bh) {
    double hh = -h;
    double g = Math.expm1(hh) / hh - 1;
    double factorial = 1;
    double[] b = new double[k];
    for (int m = 1; m <= k; m++) {
      b[m - 1] = g * factorial / bh;
      factorial *= m + 1;
      g = g / hh - 1 / factorial;
    }
    return b;
  }

  /** a·x = b by Gaussian elimination with partial pivoting (k ≤ 3). */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    double[] y = b.clone();
    for (int i = 0; i < n; i++) {
      m[i] = a[i].clone();
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int row = col + 1; row < n; row++) {
        if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
          pivot = row;
        }
      }
      double[] tmp = m[col];
      m[col] = m[pivot];
      m[pivot] = tmp;
      double t = y[col];
      y[col] = y[pivot];
      y[pivot] = t;
      for (int row = col + 1; row < n; row++) {
        double f = m[row][col] / m[col][col];
        for (int j = col; j < n; j++) {
          m[row][j] -= f * m[col][j];
        }
        y[row] -= f * y[col];
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = y[i];
      for (int j = i + 1; j < n; j++) {
        sum -= m[i][j] * x[j];
      }
      x[i] = sum / m[i][i];
    }
    return x;
  }
}
