package dev.scoresde.sampling.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * UniC against the exact exponential integral x_t = (σ_t/σ_s) x_s + σ_t ∫ e^λ x̂₀(λ) dλ: with x̂₀_t among its
 * k + 1 predictions, the order-k corrector (k ≥ 2, ρ from the order conditions) is exact for polynomials in λ
 * of degree k, one more than the predictor of the same order.
 */
class UniCorrectorTest {
  private static final double ALPHA_T = 0.8;
  private static final double SIGMA_T = 0.6;
  private static final double SIGMA_S = 0.9;
  private static final double X_S = 1.3;
  private static final double[] LAMBDAS = {-0.4, -0.75, -1.3}; // λ_s, λ_{s−1}, λ_{s−2}: uneven steps
  private static final double LAMBDA_T = -0.1;

  @Test
  void ordersTwoAndThreeAreExactForPolynomialsOfTheirDegree() {
    for (int k = 2; k <= 3; k++) {
      for (int degree = 0; degree <= k; degree++) {
        int p = degree;
        DoubleUnaryOperator x0 = l -> 0.7 + 0.4 * Math.pow(l + 0.3, p);
        assertEquals(exact(x0), corrected(k, x0), 1e-10, "order " + k + ", degree " + p);
      }
    }
  }

  /** Not vacuous: one degree more and each order is off by far more than rounding; k = 1's ρ = 1/2 misses lines. */
  @Test
  void noOrderIsExactOneDegreeHigher() {
    for (int k = 1; k <= 3; k++) {
      int p = k == 1 ? 1 : k + 1;
      DoubleUnaryOperator x0 = l -> Math.pow(l, p);
      assertTrue(Math.abs(corrected(k, x0) - exact(x0)) > 1e-6, "order " + k);
    }
    assertEquals(exact(l -> 0.9), corrected(1, l -> 0.9), 1e-12, "order 1 is exact for constants");
  }

  /** The weights of the predictions sum to the first-order weight α_t(1 − e^{−h}): a constant x̂₀ passes through. */
  @Test
  void weightsOfThePredictionsSumToTheFirstOrderWeight() {
    double h = LAMBDA_T - LAMBDAS[0];
    for (int k = 1; k <= 3; k++) {
      double[] c = DpmSolverCoefficients.uniC(k, LAMBDAS, LAMBDA_T, ALPHA_T, SIGMA_T, SIGMA_S);
      double sum = 0;
      for (int j = 1; j < c.length; j++) {
        sum += c[j];
      }
      assertEquals(-ALPHA_T * Math.expm1(-h), sum, 1e-14, "order " + k);
      assertArrayEquals(new double[] {SIGMA_T / SIGMA_S}, new double[] {c[0]}, 0);
    }
  }

  private static double corrected(int k, DoubleUnaryOperator x0) {
    double[] c = DpmSolverCoefficients.uniC(k, LAMBDAS, LAMBDA_T, ALPHA_T, SIGMA_T, SIGMA_S);
    double x = c[0] * X_S + c[1] * x0.applyAsDouble(LAMBDA_T);
    for (int j = 2; j < c.length; j++) {
      x += c[j] * x0.applyAsDouble(LAMBDAS[j - 2]);
    }
    return x;
  }

  /** (σ_t/σ_s) x_s + σ_t ∫_{λ_s}^{λ_t} e^λ x̂₀(λ) dλ by composite Simpson with 20 000 panels (σ_t e^λ = α_t e^{λ − λ_t}). */
  private static double exact(DoubleUnaryOperator x0) {
    int n = 20_000;
    double h = (LAMBDA_T - LAMBDAS[0]) / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double l = LAMBDAS[0] + i * h;
      double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
      sum += w * ALPHA_T * Math.exp(l - LAMBDA_T) * x0.applyAsDouble(l);
    }
    return SIGMA_T / SIGMA_S * X_S + sum * h / 3;
  }
}
