package dev.scoresde.optim;

/**
 * Adam with the paper's schedule (Appendix H): learning rate 2e-4 with linear warm-up over 5000 steps,
 * gradient clipping by global norm 1, β = (0.9, 0.999), ε = 1e-8.
 *
 * @param warmup warm-up steps (0 for none)
 * @param gradClip the maximal global gradient norm (≤ 0 disables clipping)
 */
public record AdamSettings(double lr, double beta1, double beta2, double eps, long warmup, double gradClip) {

  public AdamSettings {
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + lr);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("Adam eps must be positive, got " + eps);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("warm-up must be ≥ 0, got " + warmup);
    }
  }

  public static AdamSettings paper() {
    return new AdamSettings(2e-4, 0.9, 0.999, 1e-8, 5000, 1.0);
  }

  /** The learning rate of update number {@code step} (0-based): lr · min((step + 1)/warmup, 1). */
  public double learningRate(long step) {
    return warmup == 0 ? lr : lr * Math.min((step + 1.0) / warmup, 1.0);
  }
}
