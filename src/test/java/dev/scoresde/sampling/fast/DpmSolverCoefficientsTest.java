package dev.scoresde.sampling.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The multistep updates against the exact exponential integral x_t = (σ_t/σ_s) x_s + σ_t ∫ e^λ x̂₀(λ) dλ:
 * a k-step method with exact weights is exact when x̂₀ is a polynomial of degree k − 1 in λ.
 */
class DpmSolverCoefficientsTest {
  private static final double ALPHA_T = 0.8;
  private static final double SIGMA_T = 0.6;
  private static final double SIGMA_S = 0.9;
  private static final double X_S = 1.3;

  /** Orders 1 and 3 integrate x̂₀ polynomials of degree < k exactly (uneven steps). */
  @Test
  void ordersOneAndThreeAreExactForPolynomialsOfOneDegreeLess() {
    double[] lambdas = {-0.4, -0.75, -1.3}; // λ_s, λ_{s−1}, λ_{s−2}: uneven steps
    double lambdaT = -0.1;
    for (int k : new int[] {1, 3}) {
      for (int degree = 0; degree < k; degree++) {
        int p = degree;
        DoubleUnaryOperator x0 = l -> 0.7 + 0.4 * Math.pow(l + 0.3, p);
        double got = update(DpmSolverCoefficients.ode(k, lambdas, lambdaT, ALPHA_T, SIGMA_T, SIGMA_S), lambdas, x0);
        assertEquals(exact(lambdas[0], lambdaT, x0), got, 1e-12, "order " + k + ", degree " + p);
      }
    }
  }

  /**
   * Algorithm 2 (2M) weighs the slope by ψ₀/2 instead of ψ₁/h: exact for a constant x̂₀, and on a linear one
   * its local error is O(h³) (it falls 8× when all steps halve): second order.
   */
  @Test
  void secondOrderIsExactForConstantsWithThirdOrderLocalErrorOnLines() {
    DoubleUnaryOperator constant = l -> 0.9;
    DoubleUnaryOperator line = l -> 0.7 - 0.8 * l;
    double[] lambdas = {-0.4, -0.75};
    assertEquals(exact(-0.4, -0.1, constant), update(DpmSolverCoefficients.ode(2, lambdas, -0.1, ALPHA_T, SIGMA_T,
        SIGMA_S), lambdas, constant), 1e-12);
    double[] errors = new double[2];
    for (int i = 0; i < 2; i++) {
      double h = 0.3 / (1 << i);
      double[] ls = {-0.4, -0.4 - 1.2 * h};
      double got = update(DpmSolverCoefficients.ode(2, ls, -0.4 + h, ALPHA_T, SIGMA_T, SIGMA_S), ls, line);
      errors[i] = Math.abs(got - exact(-0.4, -0.4 + h, line));
    }
    double ratio = errors[0] / errors[1];
    assertTrue(errors[0] > 1e-6 && ratio > 7 && ratio < 9, "errors " + errors[0] + ", " + errors[1]);
  }

  /** The property is not vacuous: one degree more and each order is off by far more than rounding. */
  @Test
  void noOrderIsExactOneDegreeHigher() {
    double[] lambdas = {-0.4, -0.75, -1.3};
    for (int k = 1; k <= 3; k++) {
      int p = k;
      DoubleUnaryOperator x0 = l -> Math.pow(l, p);
      double got = update(DpmSolverCoefficients.ode(k, lambdas, -0.1, ALPHA_T, SIGMA_T, SIGMA_S), lambdas, x0);
      assertTrue(Math.abs(got - exact(lambdas[0], -0.1, x0)) > 1e-6, "order " + k);
    }
  }

  /** The reference implementation's third-order term (ψ₂/h² instead of 2ψ₂/h²) misses quadratics. */
  @Test
  void referenceThirdOrderWeightIsHalfTheTaylorWeight() {
    double h = 0.3;
    double psi2 = h * h / 2 - h - Math.expm1(-h);
    double referencePhi3 = (Math.expm1(-h) + h) / (h * h) - 0.5; // φ₃ of the reference code
    assertEquals(-2 * psi2 / (h * h), 2 * referencePhi3, 1e-14);
  }

  /** With zero noise the SDE update's mean is the exponential integrator of the reverse SDE (Lu et al., App.). */
  @Test
  void sdeUpdateIsExactForConstantPredictionInMean() {
    double[] lambdas = {-0.4, -0.75};
    double lambdaT = -0.1;
    double h = lambdaT - lambdas[0];
    double[] c = DpmSolverCoefficients.sde(1, lambdas, lambdaT, ALPHA_T, SIGMA_T, SIGMA_S);
    // mean: (σ_t/σ_s) e^{−h} x_s + α_t (1 − e^{−2h}) x̂₀; variance σ_t² (1 − e^{−2h})
    assertEquals(SIGMA_T / SIGMA_S * Math.exp(-h), c[0], 1e-15);
    assertEquals(ALPHA_T * (1 - Math.exp(-2 * h)), c[1], 1e-15);
    assertEquals(SIGMA_T * Math.sqrt(1 - Math.exp(-2 * h)), c[2], 1e-15);
    double[] c2 = DpmSolverCoefficients.sde(2, lambdas, lambdaT, ALPHA_T, SIGMA_T, SIGMA_S);
    assertEquals(c[1], c2[1] + c2[2], 1e-15, "a constant prediction sees the first-order weight");
  }

  private static double update(double[] c, double[] lambdas, DoubleUnaryOperator x0) {
    double x = c[0] * X_S;
    for (int j = 1; j < c.length; j++) {
      x += c[j] * x0.applyAsDouble(lambdas[j - 1]);
    }
    return x;
  }

  /** (σ_t/σ_s) x_s + σ_t ∫_{λ_s}^{λ_t} e^λ x̂₀(λ) dλ by composite Simpson with 20 000 panels. */
  private static double exact(double lambdaS, double lambdaT, DoubleUnaryOperator x0) {
    // σ_t e^λ = α_t e^{λ − λ_t}
    int n = 20_000;
    double h = (lambdaT - lambdaS) / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double l = lambdaS + i * h;
      double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
      sum += w * ALPHA_T * Math.exp(l - lambdaT) * x0.applyAsDouble(l);
    }
    return SIGMA_T / SIGMA_S * X_S + sum * h / 3;
  }
}
