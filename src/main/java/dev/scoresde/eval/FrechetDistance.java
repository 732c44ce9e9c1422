package dev.scoresde.eval;

import dev.scoresde.tensor.SymmetricEigen;
import dev.scoresde.tensor.SymmetricEigenvalues;

/**
 * The Fréchet distance between Gaussians fitted to two feature sets (Heusel et al. 2017, the FID formula):
 * ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2}), with Tr((Σ₁Σ₂)^{1/2}) = Σ √eig(Σ₂^{1/2} Σ₁ Σ₂^{1/2}).
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  /** @param a features (n, d) @param b features (m, d) */
  public static double between(double[][] a, double[][] b) {
    return Target.of(b).distance(a);
  }

  /** The bootstrap standard error of {@code between(a, b)}: {@link Target#bootstrapError}. */
  public static double bootstrapError(double[][] a, double[][] b, int reps, long seed) {
    return Target.of(b).bootstrapError(a, reps, seed);
  }

  public static double between(Moments p, Moments q) {
    return new Target(q, sqrtPsd(q.covariance())).distance(p);
  }

  /**
   * The fixed side of the distance: its moments and Σ₂^{1/2}, computed once for every set measured against it
   * (samples, the floor's train images, bootstrap resamples).
   */
  public record Target(Moments moments, double[][] sqrtCovariance) {
    public static Target of(double[][] b) {
      Moments q = Moments.of(b);
      return new Target(q, sqrtPsd(q.covariance()));
    }

    /** The distance from features {@code a} (n, d) to this target. */
    public double distance(double[][] a) {
      return distance(Moments.of(a));
    }

    double distance(Moments p) {
      return between(p, moments, sqrtCovariance);
    }

    /**
     * The bootstrap standard error of {@code distance(a)} from the finite sample {@code a}: the standard
     * deviation of the distance over {@code reps} resamples of a's rows with replacement, the target held fixed.
     * Two sets measured against the same target differ beyond noise when their distances differ by several of
     * these.
     */
    public double bootstrapError(double[][] a, int reps, long seed) {
      java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
      double sum = 0;
      double sumSq = 0;
      double[][] resample = new double[a.length][];
      for (int r = 0; r < reps; r++) {
        for (int i = 0; i < a.length; i++) {
          resample[i] = a[rng.nextInt(a.length)];
        }
        double fd = distance(resample);
        sum += fd;
        sumSq += fd * fd;
      }
      double mean = sum / reps;
      return Math.sqrt(Math.max(0, (sumSq - reps * mean * mean) / (reps - 1)));
    }
  }

  /** With Σ₂^{1/2} given: Tr((Σ₁Σ₂)^{1/2}) = Σ √eig(Σ₂^{1/2} Σ₁ Σ₂^{1/2}), eigenvalues only. */
  private static double between(Moments p, Moments q, double[][] sqrtQ) {
    int d = p.mean().length;
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = p.mean()[i] - q.mean()[i];
      meanTerm += diff * diff;
    }
    double[][] inner = multiply(multiply(sqrtQ, p.covariance()), sqrtQ);
    symmetrize(inner);
    double traceSqrt = 0;
    for (double v : SymmetricEigenvalues.of(inner)) {
      traceSqrt += Math.sqrt(Math.max(v, 0));
    }
    return meanTerm + trace(p.covariance()) + trace(q.covariance()) - 2 * traceSqrt;
  }

  /** Mean (d) and covariance (d, d) of a feature set, with the unbiased 1/(n−1) normalisation. */
  public record Moments(double[] mean, double[][] covariance) {
    public static Moments of(double[][] x) {
      int n = x.length;
      int d = x[0].length;
      double[] mu = new double[d];
      for (double[] row : x) {
        for (int i = 0; i < d; i++) {
          mu[i] += row[i] / n;
        }
      }
      double[][] c = new double[d][d];
      for (double[] row : x) {
        for (int i = 0; i < d; i++) {
          double di = row[i] - mu[i];
          for (int j = i; j < d; j++) {
            c[i][j] += di * (row[j] - mu[j]);
          }
        }
      }
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          c[i][j] /= (n - 1);
          c[j][i] = c[i][j];
        }
      }
      return new Moments(mu, c);
    }
  }

  static double[][] sqrtPsd(double[][] a) {
    SymmetricEigen e = SymmetricEigen.of(a);
    int d = a.length;
    double[][] r = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += e.vectors()[i][k] * Math.sqrt(Math.max(e.values()[k], 0)) * e.vectors()[j][k];
        }
        r[i][j] = s;
      }
    }
    return r;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] r = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b.length; k++) {
        double v = a[i][k];
        for (int j = 0; j < m; j++) {
          r[i][j] += v * b[k][j];
        }
      }
    }
    return r;
  }

  private static void symmetrize(double[][] a) {
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < i; j++) {
        double v = 0.5 * (a[i][j] + a[j][i]);
        a[i][j] = v;
        a[j][i] = v;
      }
    }
  }

  private static double trace(double[][] a) {
    double t = 0;
    for (int i = 0; i < a.length; i++) {
      t += a[i][i];
    }
    return t;
  }
}
