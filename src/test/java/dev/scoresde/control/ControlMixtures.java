package dev.scoresde.control;

import dev.scoresde.score.GaussianMixture;

/** Test data for conditional generation: mixtures whose classes are well separated where it matters. */
public final class ControlMixtures {
  private ControlMixtures() {}

  /**
   * Colour "photos" of 3×2×2 (channel-major, 12 values): three components with gray patterns ±{@code contrast}
   * on the four pixels that tell them apart, and hue +{@code hue} on channel k, −hue/2 on the others (so the hue is
   * invisible in gray); diagonal variance σ², weights {@code weights}.
   */
  public static GaussianMixture huedPhotos(double contrast, double sigma, double hue, double[] weights) {
    double[][] pattern = {{1, 1, -1, -1}, {1, -1, 1, -1}, {-1, 1, 1, -1}};
    double[][] means = new double[3][12];
    double[][] vars = new double[3][12];
    for (int k = 0; k < 3; k++) {
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 4; p++) {
          means[k][c * 4 + p] = contrast * pattern[k][p] + (c == k ? hue : -hue / 2);
          vars[k][c * 4 + p] = sigma * sigma;
        }
      }
    }
    return GaussianMixture.diagonal(weights, means, vars);
  }

  /** d = 2: three classes ≥ 4.6 apart (misclassified with probability &lt; 1e-3), unequal weights, one correlated. */
  static GaussianMixture classes() {
    double[][][] cov = {
      {{0.5, 0.25}, {0.25, 0.4}},
      {{0.3, 0}, {0, 0.3}},
      {{0.4, 0}, {0, 0.25}}
    };
    return GaussianMixture.of(new double[] {0.5, 0.3, 0.2}, new double[][] {{-3, 0}, {3, 1}, {0, -3.5}}, cov);
  }

  /** Known coordinates of {@link #blocks()}: the first two. */
  static final int KNOWN = 2;

  /**
   * d = 4 for inpainting: coordinates 0–1 are observed and reveal the component (means ≥ 9.4 apart, diagonal
   * variance ≤ 0.4); coordinates 2–3 are to be filled in, with their own means ≥ 6 apart and a correlated
   * covariance. The replacement method decides the component while the known coordinates are still noisy
   * (it uses the joint score at time t, whose component posterior sees y(t), not y), so the known block must
   * stay decisive at the noise level where the unknown block commits: known means 6 apart with unknown ones
   * 2.2–5.7 apart gave only ≈ 90 % right components (see docs/controllable.md). Within a component the two blocks are independent, so the exact conditional of the unknown
   * block given the known one is Σ_j w_j(y) N(μ_u^j, Σ_uu^j) with w_j(y) ∝ π_j N(y; μ_k^j, Σ_kk^j).
   */
  static GaussianMixture blocks() {
    double[][] means = {{-5, 3, 3, -3}, {5, 3, -3, 3}, {0, -5, 3, 3}};
    double[][][] uu = {{{0.5, 0.3}, {0.3, 0.4}}, {{0.3, -0.15}, {-0.15, 0.5}}, {{0.4, 0}, {0, 0.3}}};
    double[][] kk = {{0.3, 0.4}, {0.4, 0.3}, {0.35, 0.35}};
    double[][][] cov = new double[3][4][4];
    for (int k = 0; k < 3; k++) {
      cov[k][0][0] = kk[k][0];
      cov[k][1][1] = kk[k][1];
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          cov[k][2 + i][2 + j] = uu[k][i][j];
        }
      }
    }
    return GaussianMixture.of(new double[] {0.4, 0.35, 0.25}, means, cov);
  }

  /** The marginal mixture of coordinates [from, to) of a mixture (same weights). */
  static GaussianMixture marginal(GaussianMixture g, int from, int to) {
    int k = g.components();
    double[] w = new double[k];
    double[][] mu = new double[k][];
    double[][][] cov = new double[k][to - from][to - from];
    for (int c = 0; c < k; c++) {
      w[c] = g.weight(c);
      mu[c] = java.util.Arrays.copyOfRange(g.mean(c), from, to);
      double[][] full = g.covariance(c);
      for (int i = from; i < to; i++) {
        for (int j = from; j < to; j++) {
          cov[c][i - from][j - from] = full[i][j];
        }
      }
    }
    return GaussianMixture.of(w, mu, cov);
  }

  /** Images (3, 2, 2) flattened channel-major, d = 12. */
  static final int H = 2;
  static final int W = 2;

  /**
   * d = 12 colour images (3, 2, 2): component k has a brightness pattern (visible in gray) and a hue (red,
   * green, blue: invisible in gray, mean-zero across channels). The variance of a pixel is the same in its
   * three channels, so the orthogonal colour transform keeps the gray and chroma coordinates independent
   * within a component.
   */
  static GaussianMixture colours() {
    double[][] pattern = {{1.5, 1.5, -1.5, -1.5}, {1.5, -1.5, 1.5, -1.5}, {-1.5, 1.5, 1.5, -1.5}};
    double[][] var = {{0.2, 0.3, 0.25, 0.2}, {0.3, 0.2, 0.2, 0.25}, {0.25, 0.25, 0.3, 0.2}};
    int d = 3 * H * W;
    double[][] means = new double[3][d];
    double[][] vars = new double[3][d];
    for (int k = 0; k < 3; k++) {
      for (int c = 0; c < 3; c++) {
        double hue = c == k ? 1.2 : -0.6;
        for (int p = 0; p < H * W; p++) {
          means[k][c * H * W + p] = pattern[k][p] + hue;
          vars[k][c * H * W + p] = var[k][p];
        }
      }
    }
    return GaussianMixture.diagonal(new double[] {0.3, 0.3, 0.4}, means, vars);
  }
}
