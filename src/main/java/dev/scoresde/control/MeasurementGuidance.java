package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Scalars;
import java.util.function.UnaryOperator;

/**
 * Guidance by a linear measurement y = A·x(0) — the gray image of colorization, the known pixels of inpainting.
 * The conditional score is ∇ log p_t(x | y) = ∇ log p_t(x) + ∇ log p_t(y | x) (Song et al. 2021, Eq. 14 and
 * Appendix I, with a measurement in place of a class), and p_t(y | x(t)) is taken as N(A·x̂₀, r_t²·I), where
 * x̂₀ = (x + σ²·s(x, t))/α is the Tweedie denoiser and r_t² = σ̃²/(1 + σ̃²) with σ̃ = σ/α (ΠGDM, Song, Vahdat
 * et al. 2023). Its gradient goes through the score network by autograd: unlike the paper's replacement alone,
 * it lets what the measurement says reach every coordinate while the noise is still high, so a colouring the
 * gray image contradicts is abandoned before it sets (the incoherence the manifold-constraint papers describe).
 * Used together with the replacement constraint ({@link Colorization}, {@link Inpainting}).
 *
 * <p>The guided score is s + w·∇ₓ log N(y; A·x̂₀, r_t²), and costs one forward and one backward pass per call.
 */
public final class MeasurementGuidance implements ScoreModel {
  private final ScoreModel score;
  private final Sde sde;
  private final UnaryOperator<NDArray> measure;
  private final NDArray y;
  private final double weight;

  /**
   * @param measure A: (batch, ...) → the measurement's shape; built from differentiable NDArray ops
   * @param y the measurement A·x(0), (batch, ...)
   * @param weight w ≥ 0; 0 leaves the score as it is
   */
  public MeasurementGuidance(ScoreModel score, Sde sde, UnaryOperator<NDArray> measure, NDArray y, double weight) {
    if (!(weight >= 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("measurement guidance weight must be finite and ≥ 0, got " + weight);
    }
    this.score = score;
    this.sde = sde;
    this.measure = measure;
    this.y = y;
    this.weight = weight;
  }

  /** Colorization: y is the gray image (batch, 1, h, w), A the channel mean. */
  public static MeasurementGuidance colorization(ScoreModel score, Sde sde, NDArray gray, double weight) {
    return new MeasurementGuidance(score, sde, Colorization::grayOf, gray, weight);
  }

  @Override
  public NDArray score(NDArray x, NDArray t) {
    if (weight == 0) {
      return score.score(x, t);
    }
    if (x.getShape().get(0) != y.getShape().get(0)) {
      throw new IllegalArgumentException("x has " + x.getShape().get(0) + " rows, the measurement "
          + y.getShape().get(0));
    }
    NDManager owner = x.getManager();
    NDArray alpha = Times.perRow(x, t, sde::meanCoefficient);
    NDArray sigma = Times.perRow(x, t, sde::marginalStd);
    NDArray r2 = Times.perRow(x, t, s -> {
      double ve = sde.marginalStd(s) / sde.meanCoefficient(s);
      return ve * ve / (1 + ve * ve);
    });
    NDArray[] out = Autograd.withGradient(collector -> {
      try (NDManager scope = owner.newSubManager()) {
        NDArray leaf = x.duplicate();
        leaf.attach(scope);
        leaf.setRequiresGradient(true);
        NDArray s = score.score(leaf, t);
        NDArray x0 = leaf.add(s.mul(sigma.square())).div(alpha); // Tweedie
        NDArray residual = measure.apply(x0).sub(y);
        // −log N(y; A·x̂₀, r²) up to a constant, summed over rows (they are independent)
        NDArray nll = residual.square().div(Scalars.mul(r2.reshape(Times.rowShape(residual)), 2)).sum();
        collector.backward(nll);
        NDArray grad = leaf.getGradient().duplicate();
        NDArray detached = s.duplicate();
        grad.attach(owner);
        detached.attach(owner);
        return new NDArray[] {detached, grad};
      }
    });
    return out[0].sub(Scalars.mul(out[1], weight));
  }
}
