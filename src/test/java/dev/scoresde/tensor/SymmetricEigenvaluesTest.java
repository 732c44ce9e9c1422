package dev.scoresde.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenvaluesTest {

  /** Random symmetric matrices (indefinite, sizes 1 to 120) agree with the Jacobi decomposition. */
  @Test
  void agreeWithJacobiOnRandomSymmetricMatrices() {
    SplittableRandom r = new SplittableRandom(5);
    for (int n : new int[] {1, 2, 3, 7, 40, 120}) {
      double[][] a = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          a[i][j] = a[j][i] = r.nextDouble(-1, 1);
        }
      }
      double[] got = sorted(SymmetricEigenvalues.of(a));
      double[] want = sorted(SymmetricEigen.of(a).values());
      assertArrayEquals(want, got, 1e-9 * n, "n = " + n);
    }
  }

  /** Known spectra: a diagonal matrix (already tridiagonal), and Q diag(λ) Qᵀ with repeated and zero eigenvalues. */
  @Test
  void recoverKnownSpectraIncludingRepeatedAndZeroEigenvalues() {
    assertArrayEquals(new double[] {-2, 0, 3}, sorted(SymmetricEigenvalues.of(
        new double[][] {{3, 0, 0}, {0, -2, 0}, {0, 0, 0}})), 0);
    int n = 30;
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = i < 10 ? 0 : i < 20 ? 2.5 : i;
    }
    double[][] q = orthogonal(n, new SplittableRandom(9));
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          a[i][j] += q[i][k] * lambda[k] * q[j][k];
        }
      }
    }
    double[] got = sorted(SymmetricEigenvalues.of(a));
    double[] want = sorted(lambda);
    for (int i = 0; i < n; i++) {
      assertEquals(want[i], got[i], 1e-10, "eigenvalue " + i);
    }
  }

  /** Gram–Schmidt on a random matrix. */
  private static double[][] orthogonal(int n, SplittableRandom r) {
    double[][] q = new double[n][n];
    for (int k = 0; k < n; k++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = r.nextDouble(-1, 1);
      }
      for (int j = 0; j < k; j++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v[i] * q[i][j];
        }
        for (int i = 0; i < n; i++) {
          v[i] -= dot * q[i][j];
        }
      }
      double norm = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
      for (int i = 0; i < n; i++) {
        q[i][k] = v[i] / norm;
      }
    }
    return q;
  }

  private static double[] sorted(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }
}
