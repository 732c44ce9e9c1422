package dev.scoresde.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.likelihood.BitsPerDim;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.likelihood.ProbabilityFlowLikelihood;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.ValueRange;
import java.io.PrintStream;

/**
 * Mean bits/dim of held-out images through the probability-flow likelihood (Section 4.3, Eq. 39) with uniform
 * dequantization, its standard error over the images, and solver evaluations per solve.
 */
record TestBitsPerDim(double mean, double error, double nfe) {
  static final TestBitsPerDim NONE = new TestBitsPerDim(Double.NaN, Double.NaN, Double.NaN);

  /**
   * @param images (m, channels, size, size) in {@code range}, already on 8-bit levels or not (they are quantized)
   * @param batch images per likelihood solve
   * @param seed dequantization noise and probes of image i come from stream (seed, i)
   */
  static TestBitsPerDim measure(Sde sde, ScoreModel model, ValueRange range, LikelihoodSettings settings, NDArray images,
      int batch, long seed, NDManager manager, PrintStream log) {
    int m = Math.toIntExact(images.getShape().get(0));
    ProbabilityFlowLikelihood likelihood = new ProbabilityFlowLikelihood(sde, model, settings);
    Rng all = Rng.of(seed, m);
    double[] bits = new double[m];
    long nfe = 0;
    int calls = 0;
    long t0 = System.nanoTime();
    for (int from = 0; from < m; from += batch) {
      int to = Math.min(m, from + batch);
      try (NDManager step = manager.newSubManager()) {
        NDArray pixels = BitsPerDim.quantize(images.get(from + ":" + to), range);
        pixels.attach(step);
        BitsPerDim.Result r = BitsPerDim.evaluate(likelihood, pixels, all.slice(from, to), range);
        System.arraycopy(r.bitsPerDim(), 0, bits, from, to - from);
        r.likelihood().latent().close();
        nfe += r.likelihood().nfe();
        calls++;
      }
      log.printf("bits/dim %d/%d (%.0f s)%n", to, m, (System.nanoTime() - t0) / 1e9);
    }
    return of(bits, (double) nfe / calls);
  }

  static TestBitsPerDim of(double[] bits, double nfe) {
    double mean = 0;
    for (double b : bits) {
      mean += b / bits.length;
    }
    double ss = 0;
    for (double b : bits) {
      ss += (b - mean) * (b - mean);
    }
    double error = bits.length > 1 ? Math.sqrt(ss / (bits.length - 1) / bits.length) : Double.NaN;
    return new TestBitsPerDim(mean, error, nfe);
  }
}
