package dev.scoresde.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.score.TimeDependentClassifier;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;
import dev.scoresde.data.ImageArrayData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well a time-dependent classifier p_t(y | x(t)) (the one classifier guidance differentiates, Section 5 and
 * Appendix I of the paper) names the class of test images perturbed to time t by the forward SDE,
 * x(t) = α(t)·x(0) + σ(t)·z: its accuracy and mean cross-entropy per t. Guidance needs it informative over the
 * early and middle part of the reverse trajectory; at t = 1 nothing of x(0) is left and chance (1/K) is the
 * right answer.
 */
public final class NoisyClassifierEvaluation {
  private NoisyClassifierEvaluation() {}

  /** One time: the noise σ(t) relative to α(t), accuracy and mean cross-entropy (nats) on the n images. */
  public record Row(double t, double noiseToSignal, double accuracy, double crossEntropy) {}

  /**
   * @param test labelled test images in the classifier's shape and value range
   * @param times the times to evaluate, each in (0, 1]
   * @param seed the seed of the perturbation noise (row i of image i)
   */
  public static List<Row> run(TimeDependentClassifier classifier, Sde sde, ImageArrayData test, int n, int batch,
      double[] times, long seed, NDManager manager) {
    List<Row> rows = new ArrayList<>();
    try (NDManager scope = manager.newSubManager()) {
      Batch all = EvalSets.first(test, n, scope);
      if (all.labels() == null) {
        throw new IllegalArgumentException(test.description() + " has no labels");
      }
      for (double t : times) {
        if (!(t > 0 && t <= 1)) {
          throw new IllegalArgumentException("time " + t + " is outside (0, 1]");
        }
        int hits = 0;
        double nll = 0;
        for (int from = 0; from < n; from += batch) {
          int to = Math.min(n, from + batch);
          try (NDManager step = scope.newSubManager()) {
            Batch b = EvalSets.rows(all, from, to);
            // results belong to their first operand's manager: move the rows here so that the perturbed batch
            // and every activation of the classifier are freed with this step, not kept until the end
            b.x().attach(step);
            b.labels().attach(step);
            NDArray tt = step.full(new Shape(to - from), (float) t);
            NDArray xt = sde.perturb(b.x(), tt, Rng.of(seed + from, to - from));
            NDArray logp = classifier.logProbabilities(xt, tt);
            int k = (int) logp.getShape().get(1);
            float[] lp = logp.toFloatArray();
            int[] truth = b.labels().toType(DataType.INT32, false).toIntArray();
            for (int i = 0; i < truth.length; i++) {
              int best = 0;
              for (int c = 1; c < k; c++) {
                best = lp[i * k + c] > lp[i * k + best] ? c : best;
              }
              hits += best == truth[i] ? 1 : 0;
              nll -= lp[i * k + truth[i]];
            }
          }
        }
        rows.add(new Row(t, sde.marginalStd(t) / sde.meanCoefficient(t), (double) hits / n, nll / n));
      }
    }
    return rows;
  }

  /** The rows as a markdown table. */
  public static String markdown(List<Row> rows, int n) {
    StringBuilder b = new StringBuilder("| t | σ(t)/α(t) | accuracy (n = " + n + ") | cross-entropy (nats) |\n"
        + "|---|---|---|---|\n");
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "| %.2f | %.3g | %.1f %% | %.3f |%n", r.t(), r.noiseToSignal(),
          100 * r.accuracy(), r.crossEntropy()));
    }
    return b.toString();
  }
}
