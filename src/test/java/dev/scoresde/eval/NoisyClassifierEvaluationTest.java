package dev.scoresde.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scoresde.score.TimeDependentClassifier;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.VpSde;
import dev.scoresde.serve.model.MixtureModels;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.data.ImageArrayData;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * On a Gaussian mixture of four 4×4 patterns the exact class posterior p_t(y | x) is the classifier: it is right
 * on nearly every image at small t, and at t = 1 (where VP leaves α(1) ≈ 0.0066 of the data) its cross-entropy is
 * ln 4 and its accuracy chance.
 */
class NoisyClassifierEvaluationTest {
  static final int N = 400;

  @Test
  void theExactPosteriorIsPerfectAtSmallTimesAndAtChanceAtTheEnd() {
    VpSde sde = VpSde.paper();
    double[][] means = patterns();
    double[][] variances = new double[4][16];
    for (double[] v : variances) {
      java.util.Arrays.fill(v, 0.1 * 0.1);
    }
    GaussianMixture mixture = GaussianMixture.diagonal(new double[] {0.25, 0.25, 0.25, 0.25}, means, variances);
    GaussianMixtureScore exact = new GaussianMixtureScore(mixture, sde);
    ImageArrayData data = sample(means, 0.1, new SplittableRandom(1));
    try (NDManager m = NDManager.newBaseManager()) {
      List<NoisyClassifierEvaluation.Row> rows = NoisyClassifierEvaluation.run(exact::logPosterior, sde, data, N,
          150, new double[] {0.01, 0.5, 1.0}, 7, m);
      NoisyClassifierEvaluation.Row first = rows.get(0);
      NoisyClassifierEvaluation.Row last = rows.get(2);
      assertTrue(first.accuracy() > 0.99 && first.crossEntropy() < 0.05, first.toString());
      assertEquals(Math.log(4), last.crossEntropy(), 0.01, last.toString());
      assertEquals(0.25, last.accuracy(), 0.08, "chance, within 3.7 standard errors: " + last);
      assertEquals(sde.marginalStd(0.5) / sde.meanCoefficient(0.5), rows.get(1).noiseToSignal(), 1e-12);
      assertTrue(rows.get(1).crossEntropy() > first.crossEntropy() && rows.get(1).crossEntropy() < last.crossEntropy());

      // a classifier that names the next class reads the labels: accuracy 0 where the posterior is sure
      TimeDependentClassifier shifted = (x, t) -> {
        ai.djl.ndarray.NDArray lp = exact.logPosterior(x, t);
        return lp.get(":, 3:").concat(lp.get(":, :3"), 1);
      };
      assertEquals(0, NoisyClassifierEvaluation.run(shifted, sde, data, N, 150, new double[] {0.01}, 7, m).get(0)
          .accuracy(), 0.01);
      assertThrows(IllegalArgumentException.class,
          () -> NoisyClassifierEvaluation.run(exact::logPosterior, sde, data, N, 150, new double[] {0}, 7, m));
    }
  }

  /**
   * Each batch is perturbed and classified in its own manager, freed before the next batch: the classifier's
   * activations (hundreds of MB per batch for a U-Net) must not pile up over the times × batches of a run.
   */
  @Test
  void eachBatchIsFreedBeforeTheNext() {
    VpSde sde = VpSde.paper();
    double[][] variances = new double[4][16];
    for (double[] v : variances) {
      java.util.Arrays.fill(v, 0.01);
    }
    GaussianMixtureScore exact = new GaussianMixtureScore(GaussianMixture.diagonal(new double[] {0.25, 0.25, 0.25,
        0.25}, patterns(), variances), sde);
    ImageArrayData data = sample(patterns(), 0.1, new SplittableRandom(2));
    java.util.List<ai.djl.ndarray.NDManager> seen = new java.util.ArrayList<>();
    TimeDependentClassifier watched = (x, t) -> {
      for (ai.djl.ndarray.NDManager earlier : seen) {
        assertTrue(!earlier.isOpen(), "an earlier batch's manager is still open");
      }
      seen.add(x.getManager());
      return exact.logPosterior(x, t);
    };
    try (NDManager m = NDManager.newBaseManager()) {
      NoisyClassifierEvaluation.run(watched, sde, data, N, 100, new double[] {0.1, 0.5}, 7, m);
    }
    assertEquals(8, seen.size());
  }

  /** Stripes and checkers in ±0.8: the analytic service model's patterns. */
  static double[][] patterns() {
    return MixtureModels.patterns16().means().stream()
        .map(m -> m.stream().mapToDouble(Double::doubleValue).toArray()).toArray(double[][]::new);
  }

  /** N images of label i mod 4 drawn from their component, stored as bytes over [−1, 1]. */
  static ImageArrayData sample(double[][] means, double std, SplittableRandom r) {
    byte[] pixels = new byte[N * 16];
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      labels[i] = i % 4;
      for (int j = 0; j < 16; j++) {
        double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
        double v = Math.max(-1, Math.min(1, means[labels[i]][j] + std * g));
        pixels[i * 16 + j] = (byte) Math.round((v + 1) / 2 * 255);
      }
    }
    return new ImageArrayData(pixels, labels, 1, 4, 4, ValueRange.SYMMETRIC, List.of("0", "1", "2", "3"), "patterns",
        3);
  }
}
