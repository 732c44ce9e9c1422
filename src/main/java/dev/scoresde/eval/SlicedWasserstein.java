package dev.scoresde.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The sliced 1-Wasserstein distance between two equal-size sample sets (Rabin et al. 2011): the mean over
 * random unit directions of the 1-D Wasserstein distance of the projections (sorted differences).
 */
public final class SlicedWasserstein {
  private SlicedWasserstein() {}

  /**
   * @param a samples (n, d)
   * @param b samples (n, d), the same n
   * @param directions number of random directions
   * @param seed the directions' seed (the same seed gives the same directions)
   */
  public static double between(float[][] a, float[][] b, int directions, long seed) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("need two non-empty sample sets of the same size");
    }
    int n = a.length;
    int d = a[0].length;
    SplittableRandom random = new SplittableRandom(seed);
    double total = 0;
    double[] pa = new double[n];
    double[] pb = new double[n];
    double[] dir = new double[d];
    for (int p = 0; p < directions; p++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        dir[j] = random.nextGaussian();
        norm += dir[j] * dir[j];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        double sa = 0;
        double sb = 0;
        for (int j = 0; j < d; j++) {
          sa += a[i][j] * dir[j];
          sb += b[i][j] * dir[j];
        }
        pa[i] = sa / norm;
        pb[i] = sb / norm;
      }
      Arrays.sort(pa);
      Arrays.sort(pb);
      double w = 0;
      for (int i = 0; i < n; i++) {
        w += Math.abs(pa[i] - pb[i]);
      }
      total += w / n;
    }
    return total / directions;
  }

  /** Rows of a flat (n·d) array. */
  public static float[][] rows(float[] flat, int d) {
    float[][] r = new float[flat.length / d][];
    for (int i = 0; i < r.length; i++) {
      r[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
    }
    return r;
  }
}
