package dev.scoresde.tensor;

/**
 * The eigenvalues (no vectors) of a symmetric matrix: Householder reduction to tridiagonal form, then the implicit
 * QL iteration with Wilkinson shifts (the EISPACK tred1/tql1 pair). About (4/3)d³ operations, where the cyclic
 * Jacobi of {@link SymmetricEigen} needs several sweeps of 4d³: this is the one for repeated use on d in the
 * hundreds (the Fréchet distance's bootstrap).
 */
public final class SymmetricEigenvalues {
  private SymmetricEigenvalues() {}

  /** @param a symmetric (d, d), not modified; only the lower triangle is read @return the eigenvalues, unordered */
  public static double[] of(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("matrix is not square");
      }
      m[i] = a[i].clone();
    }
    double[] d = new double[n];
    double[] e = new double[n];
    tridiagonalize(m, d, e);
    ql(d, e);
    return d;
  }

  /** Householder reduction of the lower triangle: diagonal d, sub-diagonal e[i] between rows i−1 and i. */
  private static void tridiagonalize(double[][] a, double[] d, double[] e) {
    int n = a.length;
    for (int i = n - 1; i > 0; i--) {
      int l = i - 1;
      double h = 0;
      if (l > 0) {
        double scale = 0;
        for (int k = 0; k <= l; k++) {
          scale += Math.abs(a[i][k]);
        }
        if (scale == 0) {
          e[i] = a[i][l];
          continue;
        }
        for (int k = 0; k <= l; k++) {
          a[i][k] /= scale;
          h += a[i][k] * a[i][k];
        }
        double f = a[i][l];
        double g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        a[i][l] = f - g;
        f = 0;
        for (int j = 0; j <= l; j++) {
          g = 0;
          for (int k = 0; k <= j; k++) {
            g += a[j][k] * a[i][k];
          }
          for (int k = j + 1; k <= l; k++) {
            g += a[k][j] * a[i][k];
          }
          e[j] = g / h;
          f += e[j] * a[i][j];
        }
        double hh = f / (h + h);
        for (int j = 0; j <= l; j++) {
          f = a[i][j];
          g = e[j] - hh * f;
          e[j] = g;
          for (int k = 0; k <= j; k++) {
            a[j][k] -= f * e[k] + g * a[i][k];
          }
        }
      } else {
        e[i] = a[i][l];
      }
    }
    for (int i = 0; i < n; i++) {
      d[i] = a[i][i];
    }
  }

  /** Implicit QL with shifts on the tridiagonal (d, e); d ends as the eigenvalues. */
  private static void ql(double[] d, double[] e) {
    int n = d.length;
    for (int i = 1; i < n; i++) {
      e[i - 1] = e[i];
    }
    if (n > 0) {
      e[n - 1] = 0;
    }
    for (int l = 0; l < n; l++) {
      int iterations = 0;
      int m;
      do {
        for (m = l; m < n - 1; m++) {
          double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[m]) <= 0x1p-52 * dd) {
            break;
          }
        }
        if (m != l) {
          if (iterations++ == 60) {
            throw new ArithmeticException("QL iteration did not converge");
          }
          double g = (d[l + 1] - d[l]) / (2 * e[l]);
          double r = Math.hypot(g, 1);
          g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
          double s = 1;
          double c = 1;
          double p = 0;
          int i;
          boolean underflow = false;
          for (i = m - 1; i >= l; i--) {
            double f = s * e[i];
            double b = c * e[i];
            r = Math.hypot(f, g);
            e[i + 1] = r;
            if (r == 0) {
              d[i + 1] -= p;
              e[m] = 0;
              underflow = true;
              break;
            }
            s = f / r;
            c = g / r;
            g = d[i + 1] - p;
            r = (d[i] - g) * s + 2 * c * b;
            p = s * r;
            d[i + 1] = g + p;
            g = c * r - b;
          }
          if (underflow) {
            continue;
          }
          d[l] -= p;
          e[l] = g;
          e[m] = 0;
        }
      } while (m != l);
    }
  }
}
