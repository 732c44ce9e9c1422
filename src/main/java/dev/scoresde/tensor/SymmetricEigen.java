package dev.scoresde.tensor;

/** Eigen-decomposition A = U diag(λ) Uᵀ of a small symmetric matrix by cyclic Jacobi rotations. */
public record SymmetricEigen(double[] values, double[][] vectors) {

  /** @param a symmetric (d, d), not modified; vectors[i][k] is component i of eigenvector k */
  public static SymmetricEigen of(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("matrix is not square");
      }
      m[i] = a[i].clone();
      v[i][i] = 1;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        if (Math.abs(m[i][j] - m[j][i]) > 1e-9 * (1 + Math.abs(m[i][j]))) {
          throw new IllegalArgumentException("covariance is not symmetric at (" + i + ", " + j + ")");
        }
      }
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double total = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          total += m[i][j] * m[i][j];
          if (i != j) {
            off += m[i][j] * m[i][j];
          }
        }
      }
      if (off <= 1e-30 * Math.max(total, 1e-300)) {
        break;
      }
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (m[p][q] == 0) {
            continue;
          }
          double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
          }
          for (int k = 0; k < n; k++) {
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = m[i][i];
    }
    return new SymmetricEigen(values, v);
  }
}
