package dev.scoresde.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.SymmetricEigen;
import java.util.Arrays;

/**
 * A Gaussian-mixture data distribution p_0 = Σ_k π_k N(μ_k, Σ_k) in d dimensions with full covariances,
 * kept in eigen-form Σ_k = U_k diag(λ_k) U_kᵀ so that every perturbed marginal is closed-form.
 */
public final class GaussianMixture {
  private final double[] weights; // (K)
  private final double[][] means; // (K, d)
  private final double[][] eigenvalues; // (K, d)
  private final double[][][] eigenvectors; // (K, d, d), column j is eigenvector j

  private GaussianMixture(double[] weights, double[][] means, double[][] eigenvalues, double[][][] eigenvectors) {
    this.weights = weights;
    this.means = means;
    this.eigenvalues = eigenvalues;
    this.eigenvectors = eigenvectors;
  }

  /** A mixture with full covariances (K, d, d), each symmetric positive definite; weights are normalised. */
  public static GaussianMixture of(double[] weights, double[][] means, double[][][] covariances) {
    int k = weights.length;
    if (k == 0 || means.length != k || covariances.length != k) {
      throw new IllegalArgumentException("weights, means and covariances must have the same count K > 0");
    }
    int d = means[0].length;
    double sum = Arrays.stream(weights).sum();
    double[] w = new double[k];
    double[][] lambda = new double[k][];
    double[][][] u = new double[k][][];
    for (int i = 0; i < k; i++) {
      if (!(weights[i] > 0)) {
        throw new IllegalArgumentException("component weights must be positive");
      }
      if (means[i].length != d || covariances[i].length != d) {
        throw new IllegalArgumentException("component " + i + " is not " + d + "-dimensional");
      }
      w[i] = weights[i] / sum;
      SymmetricEigen e = SymmetricEigen.of(covariances[i]);
      for (double l : e.values()) {
        if (!(l > 0)) {
          throw new IllegalArgumentException("covariance " + i + " is not positive definite");
        }
      }
      lambda[i] = e.values();
      u[i] = e.vectors();
    }
    return new GaussianMixture(w, Arrays.stream(means).map(double[]::clone).toArray(double[][]::new), lambda, u);
  }

  /** A mixture with diagonal covariances given by per-component variances (K, d). */
  public static GaussianMixture diagonal(double[] weights, double[][] means, double[][] variances) {
    int d = means[0].length;
    double[][][] cov = new double[weights.length][d][d];
    for (int k = 0; k < weights.length; k++) {
      for (int i = 0; i < d; i++) {
        cov[k][i][i] = variances[k][i];
      }
    }
    return of(weights, means, cov);
  }

  /** The mixture of component k alone (the class-conditional data distribution p_0(x | y = k)). */
  public GaussianMixture component(int k) {
    return new GaussianMixture(new double[] {1}, new double[][] {means[k]}, new double[][] {eigenvalues[k]},
        new double[][][] {eigenvectors[k]});
  }

  public int components() {
    return weights.length;
  }

  public int dimension() {
    return means[0].length;
  }

  public double weight(int k) {
    return weights[k];
  }

  public double[] mean(int k) {
    return means[k].clone();
  }

  double[] eigenvalues(int k) {
    return eigenvalues[k];
  }

  double[][] eigenvectors(int k) {
    return eigenvectors[k];
  }

  /** Σ_k = U diag(λ) Uᵀ, (d, d). */
  public double[][] covariance(int k) {
    int d = dimension();
    double[][] c = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int m = 0; m < d; m++) {
          s += eigenvectors[k][i][m] * eigenvalues[k][m] * eigenvectors[k][j][m];
        }
        c[i][j] = s;
      }
    }
    return c;
  }

  /** The mixture's overall mean, (d). */
  public double[] overallMean() {
    double[] m = new double[dimension()];
    for (int k = 0; k < components(); k++) {
      for (int i = 0; i < m.length; i++) {
        m[i] += weights[k] * means[k][i];
      }
    }
    return m;
  }

  /** n draws from p_0 with their component labels; row i uses only row i's stream. */
  public Draws sample(NDManager manager, int n, Rng rng) {
    if (rng.rows() != n) {
      throw new IllegalArgumentException("rng has " + rng.rows() + " rows, need " + n);
    }
    int d = dimension();
    NDArray u = rng.uniform(manager, new Shape(n, 1));
    NDArray z = rng.normal(manager, new Shape(n, d));
    float[] uf = u.toFloatArray();
    float[] zf = z.toFloatArray();
    u.close();
    z.close();
    float[] out = new float[n * d];
    int[] labels = new int[n];
    for (int r = 0; r < n; r++) {
      int k = pick(uf[r]);
      labels[r] = k;
      for (int i = 0; i < d; i++) {
        double v = means[k][i];
        for (int j = 0; j < d; j++) {
          v += eigenvectors[k][i][j] * Math.sqrt(eigenvalues[k][j]) * zf[r * d + j];
        }
        out[r * d + i] = (float) v;
      }
    }
    return new Draws(manager.create(out, new Shape(n, d)), labels);
  }

  private int pick(double u) {
    double c = 0;
    for (int k = 0; k < weights.length - 1; k++) {
      c += weights[k];
      if (u < c) {
        return k;
      }
    }
    return weights.length - 1;
  }

  /**
   * @param x the draws, (n, d)
   * @param labels the component of each draw
   */
  public record Draws(NDArray x, int[] labels) {}
}
