package dev.scoresde.sampling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Doubles;
import java.util.Arrays;
import java.util.Random;

/**
 * Two-sample and exact-moment comparisons of sampler output with a Gaussian mixture. All tolerances are
 * Monte-Carlo ones, in standard errors (z) of the statistic under the hypothesis "the samples are exact".
 */
public final class SampleChecks {
  private SampleChecks() {}

  /**
   * Standard errors allowed for a family of k z-statistics, Bonferroni-style so that the whole family
   * falsely fails with probability ≲ 1e-3: 4 SE (two-sided p = 6.3e-5) for up to 16 statistics, 4.6 SE
   * (p = 4.2e-6) for up to 200 (d = 16 has 136 covariance entries).
   */
  static double z(int k) {
    return k <= 16 ? 4.0 : k <= 200 ? 4.6 : 5.0;
  }
  /** Permutations for the MMD null distribution. */
  static final int PERMUTATIONS = 100;
  /** The MMD threshold is this margin times the largest of the permutation statistics (≈ their 99th percentile). */
  static final double MMD_MARGIN = 1.5;
  /** Rows used for the MMD (the kernel matrix is (2n)²). */
  static final int MMD_ROWS = 1500;

  /**
   * @param weightZ max over components of |p̂_k − q̂_k| in standard errors of a difference of two binomial
   *     proportions (labels: exact posterior argmax at a small time, for the samples and exact draws alike)
   * @param meanZ max over coordinates of |m̂_i − m_i| / sqrt(C_ii / n), against the exact mean m and covariance C
   * @param covZ max over entries of |Ĉ_ij − C_ij| / SE_ij, SE_ij² = Var[(x_i − m_i)(x_j − m_j)] / n estimated
   *     from the exact draws
   * @param mmd the unbiased MMD² (Gaussian kernel, median bandwidth) between samples and exact draws
   * @param mmdThreshold {@link #MMD_MARGIN} × the largest MMD² of {@link #PERMUTATIONS} random relabellings of
   *     the pooled rows: the null distribution of two exact sets of the same size, estimated in the test
   * @param d the dimension (number of mean statistics)
   * @param k the number of components (weight statistics)
   */
  record Report(double weightZ, double meanZ, double covZ, double mmd, double mmdThreshold, int d, int k) {
    boolean matches() {
      return weightZ <= z(k) && meanZ <= z(d) && covZ <= z(d * (d + 1) / 2) && mmd <= mmdThreshold;
    }

    @Override
    public String toString() {
      return String.format("weights %.2f SE, mean %.2f SE, cov %.2f SE, MMD² %.2e (threshold %.2e)", weightZ, meanZ,
          covZ, mmd, mmdThreshold);
    }
  }

  static void assertMatches(String what, Report r) {
    System.out.println(what + ": " + r);
    assertTrue(r.matches(), what + " does not match the mixture: " + r);
  }

  /**
   * @param samples sampler output (n, d)
   * @param exact exact draws of the data distribution (n, d)
   * @param oracle the mixture's exact score model, for the component labels
   * @param labelTime the small time at which the labels are read off the posterior
   */
  static Report compare(NDArray samples, NDArray exact, GaussianMixtureScore oracle, double labelTime) {
    GaussianMixture g = oracle.mixture();
    int n = Math.toIntExact(samples.getShape().get(0));
    int d = g.dimension();
    float[] x = samples.toFloatArray();
    float[] y = exact.toFloatArray();
    for (float v : x) {
      if (!Float.isFinite(v)) {
        return new Report(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY, 0, d, g.components());
      }
    }
    double[] m = exactMean(g);
    double[][] c = exactCovariance(g);
    double weightZ = weightZ(labels(oracle, samples, labelTime), labels(oracle, exact, labelTime), g.components());
    double meanZ = 0;
    double[] mx = new double[d];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        mx[i] += x[r * d + i] / (double) n;
      }
    }
    for (int i = 0; i < d; i++) {
      meanZ = Math.max(meanZ, Math.abs(mx[i] - m[i]) / Math.sqrt(c[i][i] / n));
    }
    double covZ = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        double sx = 0;
        double sy = 0;
        double syy = 0;
        for (int r = 0; r < n; r++) {
          sx += (x[r * d + i] - m[i]) * (x[r * d + j] - m[j]);
          double p = (y[r * d + i] - m[i]) * (y[r * d + j] - m[j]);
          sy += p;
          syy += p * p;
        }
        double var = syy / n - (sy / n) * (sy / n);
        covZ = Math.max(covZ, Math.abs(sx / n - c[i][j]) / Math.sqrt(var / n));
      }
    }
    double[] mmd = mmd(samples, exact);
    return new Report(weightZ, meanZ, covZ, mmd[0], mmd[1], d, g.components());
  }

  static int[] labels(GaussianMixtureScore oracle, NDArray x, double t) {
    try (NDManager scope = x.getManager().newSubManager()) {
      x.tempAttach(scope);
      NDArray post = oracle.posterior(x, Times.filled(x, t));
      return Arrays.stream(post.argMax(1).toLongArray()).mapToInt(Math::toIntExact).toArray();
    }
  }

  private static double weightZ(int[] a, int[] b, int k) {
    double z = 0;
    for (int c = 0; c < k; c++) {
      double pa = fraction(a, c);
      double pb = fraction(b, c);
      double p = (pa + pb) / 2;
      double se = Math.sqrt(Math.max(p * (1 - p), 1e-12) * (1.0 / a.length + 1.0 / b.length));
      z = Math.max(z, Math.abs(pa - pb) / se);
    }
    return z;
  }

  private static double fraction(int[] labels, int c) {
    return Arrays.stream(labels).filter(l -> l == c).count() / (double) labels.length;
  }

  static double[] exactMean(GaussianMixture g) {
    return g.overallMean();
  }

  /** Σ_k π_k (Σ_k + μ_k μ_kᵀ) − m mᵀ. */
  static double[][] exactCovariance(GaussianMixture g) {
    int d = g.dimension();
    double[] m = g.overallMean();
    double[][] c = new double[d][d];
    for (int k = 0; k < g.components(); k++) {
      double[][] ck = g.covariance(k);
      double[] mu = g.mean(k);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          c[i][j] += g.weight(k) * (ck[i][j] + mu[i] * mu[j]);
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        c[i][j] -= m[i] * m[j];
      }
    }
    return c;
  }

  /**
   * The unbiased MMD² between the first {@link #MMD_ROWS} rows of a and b with a Gaussian kernel of
   * median-heuristic bandwidth, and its permutation threshold. Returns {mmd², threshold}.
   */
  public static double[] mmd(NDArray a, NDArray b) {
    NDManager owner = a.getManager();
    try (NDManager scope = owner.newSubManager()) {
      a.tempAttach(scope);
      b.tempAttach(scope);
      int n = (int) Math.min(MMD_ROWS, Math.min(a.getShape().get(0), b.getShape().get(0)));
      NDArray z = a.get("0:" + n).concat(b.get("0:" + n), 0); // (2n, d)
      NDArray sq = z.square().sum(new int[] {1}, true); // (2n, 1)
      NDArray dist2 = sq.add(sq.transpose()).sub(z.matMul(z.transpose()).mul(2)).maximum(0f); // (2n, 2n)
      float[] sample = dist2.get("0:" + n + ", " + n + ":").toFloatArray();
      Arrays.sort(sample);
      double h2 = sample[sample.length / 2];
      NDArray k = dist2.div(-2 * h2).exp();
      int total = 2 * n;
      Random random = new Random(12345);
      float[] assign = new float[total * (PERMUTATIONS + 1)];
      int[] idx = new int[total];
      for (int p = 0; p <= PERMUTATIONS; p++) {
        for (int i = 0; i < total; i++) {
          idx[i] = i;
        }
        if (p > 0) {
          for (int i = total - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
          }
        }
        for (int i = 0; i < n; i++) {
          assign[idx[i] * (PERMUTATIONS + 1) + p] = 1;
        }
      }
      NDArray aMat = scope.create(assign, new Shape(total, PERMUTATIONS + 1)); // column p: 1 = first set
      NDArray bMat = aMat.neg().add(1);
      NDArray ka = k.matMul(aMat);
      NDArray kb = k.matMul(bMat);
      double[] sxx = Doubles.of(aMat.mul(ka).sum(new int[] {0}));
      double[] syy = Doubles.of(bMat.mul(kb).sum(new int[] {0}));
      double[] sxy = Doubles.of(aMat.mul(kb).sum(new int[] {0}));
      double[] stat = new double[PERMUTATIONS + 1];
      for (int p = 0; p <= PERMUTATIONS; p++) {
        // k(x, x) = 1 on the diagonal: drop it for the unbiased within-set sums.
        stat[p] = (sxx[p] - n) / ((double) n * (n - 1)) + (syy[p] - n) / ((double) n * (n - 1))
            - 2 * sxy[p] / ((double) n * n);
      }
      double max = Arrays.stream(stat, 1, stat.length).max().orElseThrow();
      return new double[] {stat[0], MMD_MARGIN * max};
    }
  }
}
