package dev.scoresde.eval;

import java.util.Locale;

/**
 * The numbers of one evaluation run (see docs/evaluation.md for their meaning).
 *
 * @param model the model's name and folder
 * @param sampler the sampler settings, described
 * @param n samples = test images = train images compared
 * @param guidance "unconditional", or "class-conditional, w = …"
 * @param frechetDistance FD between the samples' and the test images' eval-CNN features
 * @param frechetDistanceError its bootstrap standard error over the samples (test images fixed)
 * @param floor FD between n train and n test images' features: what a perfect model would score at this n
 * @param classAccuracy fraction of class-conditional samples the eval CNN assigns to their intended class (NaN
 *     when unconditional)
 * @param classifierAccuracy the eval CNN's accuracy on the n test images (its own sanity check)
 * @param bitsPerDim mean test bits/dim (NaN when skipped)
 * @param bitsPerDimError its standard error over the images
 * @param likelihoodImages test images in the bits/dim
 * @param likelihoodFailure why the bits/dim could not be computed, or null (the sample metrics stand either way)
 * @param samplingNfe score evaluations per sampler call (mean over batches)
 * @param likelihoodNfe solver evaluations per likelihood solve (mean over batches)
 * @param samplingSeconds wall time of sampling
 * @param likelihoodSeconds wall time of the likelihood
 * @param totalSeconds wall time of the whole run
 * @param seed the run's seed
 */
public record EvaluationReport(String model, String sampler, int n, String guidance, double frechetDistance,
    double frechetDistanceError, double floor, double classAccuracy, double classifierAccuracy, double bitsPerDim, double bitsPerDimError,
    int likelihoodImages, String likelihoodFailure, double samplingNfe, double likelihoodNfe, double samplingSeconds, double likelihoodSeconds,
    double totalSeconds, long seed) {

  /** FD over its floor: 1 is indistinguishable from real data at this n. */
  public double ratio() {
    return frechetDistance / floor;
  }

  /** The report as a markdown block. */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("### Evaluation of ").append(model).append('\n').append('\n');
    b.append("| quantity | value |\n|---|---|\n");
    row(b, "sampler", sampler);
    row(b, "conditioning", guidance);
    row(b, "samples N (= test = train images compared)", Integer.toString(n));
    row(b, "Fréchet distance, samples vs test (eval-CNN features; ± bootstrap s.e. over the samples)",
        f("%.3f ± %.3f", frechetDistance, frechetDistanceError));
    row(b, "floor: Fréchet distance, train vs test", f("%.3f", floor));
    row(b, "FD / floor", f("%.2f", ratio()));
    row(b, "samples classified as their intended class",
        Double.isNaN(classAccuracy) ? "n/a (unconditional)" : f("%.1f %%", 100 * classAccuracy));
    row(b, "eval-CNN accuracy on the N test images", f("%.1f %%", 100 * classifierAccuracy));
    row(b, "test bits/dim", likelihoodImages == 0 ? "skipped"
        : likelihoodFailure != null ? "failed: " + likelihoodFailure.replace('|', '/')
        : f("%.3f ± %.3f (%d images)", bitsPerDim, bitsPerDimError, likelihoodImages));
    row(b, "NFE per sampler call (mean)", f("%.1f", samplingNfe));
    row(b, "NFE per likelihood solve (mean)", likelihoodImages == 0 || likelihoodFailure != null ? "n/a"
        : f("%.1f", likelihoodNfe));
    row(b, "wall time: sampling / likelihood / total",
        f("%.0f s / %.0f s / %.0f s", samplingSeconds, likelihoodSeconds, totalSeconds));
    row(b, "seed", Long.toString(seed));
    return b.toString();
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("| ").append(name).append(" | ").append(value).append(" |\n");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
