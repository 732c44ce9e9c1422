package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.SampleChecks;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import java.util.Arrays;

/**
 * Monte-Carlo checks of samples against exact Gaussian targets, in standard errors under the hypothesis
 * "the samples are exact" (4 SE: a false failure of a family of ≤ 16 statistics has probability ≲ 1e-3).
 */
final class Stats {
  static final double Z = 4.0;

  private Stats() {}

  /** Each row's most probable component under {@code g} at a small time t of {@code sde}. x (n, d). */
  static int[] classify(GaussianMixture g, Sde sde, NDArray x, double t) {
    try (NDManager scope = x.getManager().newSubManager()) {
      NDArray flat = x.reshape(x.getShape().get(0), -1);
      flat.attach(scope);
      NDArray post = new GaussianMixtureScore(g, sde).posterior(flat, Times.filled(flat, t));
      return Arrays.stream(post.argMax(1).toLongArray()).mapToInt(Math::toIntExact).toArray();
    }
  }

  /** The fraction of rows whose label equals the expected one. */
  static double accuracy(int[] got, int[] expected) {
    int hits = 0;
    for (int i = 0; i < got.length; i++) {
      hits += got[i] == expected[i] ? 1 : 0;
    }
    return hits / (double) got.length;
  }

  /** The rows of x (n, d) flattened in Java whose label is k, as (m, d). */
  static double[][] rowsOf(float[] x, int d, int[] labels, int k) {
    return java.util.stream.IntStream.range(0, labels.length).filter(r -> labels[r] == k)
        .mapToObj(r -> {
          double[] row = new double[d];
          for (int i = 0; i < d; i++) {
            row[i] = x[r * d + i];
          }
          return row;
        }).toArray(double[][]::new);
  }

  static double[][] rows(float[] x, int d) {
    int[] all = new int[x.length / d];
    return rowsOf(x, d, all, 0);
  }

  /**
   * The largest deviation, in standard errors, of the sample mean and covariance from a Gaussian N(m, C):
   * SE(mean_i)² = C_ii / n, SE(cov_ij)² = (C_ii C_jj + C_ij²) / n (Gaussian fourth moments).
   */
  static double momentZ(double[][] x, double[] m, double[][] c) {
    int n = x.length;
    int d = m.length;
    double worst = 0;
    double[] mean = new double[d];
    for (double[] row : x) {
      for (int i = 0; i < d; i++) {
        mean[i] += row[i] / n;
      }
    }
    for (int i = 0; i < d; i++) {
      worst = Math.max(worst, Math.abs(mean[i] - m[i]) / Math.sqrt(c[i][i] / n));
      for (int j = i; j < d; j++) {
        double s = 0;
        for (double[] row : x) {
          s += (row[i] - m[i]) * (row[j] - m[j]);
        }
        worst = Math.max(worst, Math.abs(s / n - c[i][j]) / Math.sqrt((c[i][i] * c[j][j] + c[i][j] * c[i][j]) / n));
      }
    }
    return worst;
  }

  /** {@link SampleChecks#mmd} of rows a (n, d) and b (m, d) held in Java. Returns {mmd², threshold}. */
  static double[] mmd(double[][] a, double[][] b) {
    try (NDManager m = NDManager.newBaseManager()) {
      return SampleChecks.mmd(m.create(toFloat(a)), m.create(toFloat(b)));
    }
  }

  private static float[][] toFloat(double[][] x) {
    float[][] out = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new float[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = (float) x[i][j];
      }
    }
    return out;
  }
}
