package dev.scoresde.eval;

import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.sampling.settings.SamplerSettings;

/**
 * What one evaluation run does.
 *
 * @param n samples drawn, and the number of test and train images they (and the floor) are compared with
 * @param batchSize samples per sampler call
 * @param sampler the sampler and its settings (API names)
 * @param classConditional draw balanced labels (sample i gets class i mod K) and guide towards them; false
 *     samples with the "no label" token (or from an unconditional model)
 * @param guidanceWeight classifier-free guidance weight w ≥ 0 (0: plain conditional sampling)
 * @param likelihoodImages test images whose bits/dim are measured (0 skips the likelihood)
 * @param likelihoodBatch images per likelihood solve
 * @param likelihood the probability-flow likelihood's settings
 * @param seed sample i's noise comes from stream (seed, i); the dequantization and probes from seed + 1
 */
public record EvaluationSettings(int n, int batchSize, SamplerSettings sampler, boolean classConditional,
    double guidanceWeight, int likelihoodImages, int likelihoodBatch, LikelihoodSettings likelihood, long seed) {

  public EvaluationSettings {
    if (n < 2) {
      throw new IllegalArgumentException("n must be at least 2 (a covariance needs two samples), got " + n);
    }
    if (batchSize < 1 || likelihoodBatch < 1) {
      throw new IllegalArgumentException("batch sizes must be positive, got " + batchSize + " and " + likelihoodBatch);
    }
    if (sampler == null || likelihood == null) {
      throw new IllegalArgumentException("sampler and likelihood settings must be given");
    }
    if (!(guidanceWeight >= 0) || !Double.isFinite(guidanceWeight)) {
      throw new IllegalArgumentException("guidance weight must be finite and ≥ 0, got " + guidanceWeight);
    }
    if (guidanceWeight > 0 && !classConditional) {
      throw new IllegalArgumentException("a guidance weight needs class-conditional sampling");
    }
    if (likelihoodImages < 0) {
      throw new IllegalArgumentException("likelihood images must be ≥ 0, got " + likelihoodImages);
    }
  }
}
