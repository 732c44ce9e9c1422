package dev.scoresde.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scoresde.eval.FrechetDistance.Moments;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

  /** For commuting (here diagonal) covariances the distance is ‖Δμ‖² + Σ (√a_i − √b_i)². */
  @Test
  void matchesClosedFormForDiagonalGaussians() {
    Moments p = new Moments(new double[] {0, 1, 2}, diag(1, 4, 9));
    Moments q = new Moments(new double[] {1, 1, 0}, diag(4, 1, 9));
    double expected = 1 + 4 + (1 + 1 + 0);
    assertEquals(expected, FrechetDistance.between(p, q), 1e-9);
  }

  /** A rotation applied to both Gaussians leaves the distance unchanged, and d(p, p) = 0. */
  @Test
  void isInvariantToRotationAndZeroOnItself() {
    double c = Math.cos(0.7), s = Math.sin(0.7);
    double[][] r = {{c, -s}, {s, c}};
    double[][] a = {{2, 0.5}, {0.5, 1}};
    double[][] b = {{1, -0.3}, {-0.3, 0.5}};
    Moments p = new Moments(new double[] {1, 0}, a);
    Moments q = new Moments(new double[] {0, 2}, b);
    Moments pr = new Moments(rotate(r, new double[] {1, 0}), conj(r, a));
    Moments qr = new Moments(rotate(r, new double[] {0, 2}), conj(r, b));
    assertEquals(FrechetDistance.between(p, q), FrechetDistance.between(pr, qr), 1e-9);
    assertEquals(0, FrechetDistance.between(p, p), 1e-9);
  }

  /**
   * On samples: a set against itself is 0 up to rounding, and shifting every row by δ adds exactly ‖δ‖²
   * (the covariances are unchanged), so the distance grows as the shift does.
   */
  @Test
  void sampleSetIsZeroAgainstItselfAndGrowsAsTheSquaredShift() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    double[][] x = new double[500][6];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = r.nextGaussian() * (1 + j);
      }
    }
    assertEquals(0, FrechetDistance.between(x, x), 1e-6);
    double previous = 0;
    for (double shift : new double[] {0.1, 0.5, 2}) {
      double[][] y = new double[x.length][];
      for (int i = 0; i < x.length; i++) {
        y[i] = x[i].clone();
        y[i][0] += shift;
        y[i][3] -= shift;
      }
      double d = FrechetDistance.between(x, y);
      assertEquals(2 * shift * shift, d, 1e-6);
      org.junit.jupiter.api.Assertions.assertTrue(d > previous);
      previous = d;
    }
  }

  private static double[][] diag(double... v) {
    double[][] d = new double[v.length][v.length];
    for (int i = 0; i < v.length; i++) {
      d[i][i] = v[i];
    }
    return d;
  }

  /**
   * The bootstrap error of one sample set estimates the spread of the distance over fresh sample sets: checked
   * against the standard deviation over 300 independent sets of 100 points (d = 4, one coordinate shifted).
   */
  @Test
  void bootstrapErrorMatchesTheSpreadOverIndependentSampleSets() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    double[][] reference = gaussian(r, 2000, 4, 0);
    int sets = 300;
    double sum = 0;
    double sumSq = 0;
    for (int k = 0; k < sets; k++) {
      double fd = FrechetDistance.between(gaussian(r, 100, 4, 0.5), reference);
      sum += fd;
      sumSq += fd * fd;
    }
    double spread = Math.sqrt((sumSq - sum * sum / sets) / (sets - 1));
    double bootstrap = 0;
    for (int k = 0; k < 10; k++) {
      bootstrap += FrechetDistance.bootstrapError(gaussian(r, 100, 4, 0.5), reference, 200, k) / 10;
    }
    assertEquals(1, bootstrap / spread, 0.25, "bootstrap " + bootstrap + " vs spread " + spread);
  }

  private static double[][] gaussian(java.util.SplittableRandom r, int n, int d, double shift) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int i = 0; i < d; i++) {
        row[i] = gauss(r) + (i == 0 ? shift : 0);
      }
    }
    return x;
  }

  private static double gauss(java.util.SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  private static double[] rotate(double[][] r, double[] v) {
    return new double[] {r[0][0] * v[0] + r[0][1] * v[1], r[1][0] * v[0] + r[1][1] * v[1]};
  }

  private static double[][] conj(double[][] r, double[][] a) {
    double[][] ra = new double[2][2];
    double[][] out = new double[2][2];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 2; k++) {
          ra[i][j] += r[i][k] * a[k][j];
        }
      }
    }
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 2; k++) {
          out[i][j] += ra[i][k] * r[j][k];
        }
      }
    }
    return out;
  }
}
