package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.State;
import dev.scoresde.sampling.StateConstraint;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Colorization (Song et al. 2021, Appendix I.2): an orthogonal colour transform M decouples an RGB image
 * into a gray axis (r+g+b)/√3 and two chroma axes. The forward SDE's noise is isotropic, so it commutes
 * with M: the known gray channel is imposed in the decoupled space like an inpainting mask, perturbed to
 * the current time, then mapped back. Works for any 3-channel model.
 */
public final class Colorization implements StateConstraint {
  /** Columns: the gray axis (1,1,1)/√3 and two orthonormal chroma axes (the reference's M). */
  private static final float[] M = {
    0.57735027f, -0.81649658f, 0f,
    0.57735027f, 0.40824829f, 0.70710678f,
    0.57735027f, 0.40824829f, -0.70710678f
  };

  private final NDArray gray; // (batch, 1, h, w): the gray image (r+g+b)/3 in the model's value range

  /** @param gray the known gray channel, (batch, 1, h, w), as the mean of R, G, B in the value range */
  public Colorization(NDArray gray) {
    if (gray.getShape().dimension() != 4 || gray.getShape().get(1) != 1) {
      throw new IllegalArgumentException("gray image must be (batch, 1, h, w), got " + gray.getShape());
    }
    this.gray = gray;
  }

  /** The gray channel (r+g+b)/3 of colour images (batch, 3, h, w) → (batch, 1, h, w). */
  public static NDArray grayOf(NDArray rgb) {
    return rgb.mean(new int[] {1}, true);
  }

  /** x (batch, 3, h, w) → its coordinates on the gray and chroma axes, (batch, 3, h, w). */
  public static NDArray decouple(NDArray x) {
    return mix(x, matrix(x.getManager()));
  }

  /** The inverse of {@link #decouple}: M is orthogonal, so Mᵀ. */
  public static NDArray couple(NDArray u) {
    return mix(u, matrix(u.getManager()).transpose());
  }

  @Override
  public State apply(State state, NDArray t, Sde sde, Rng rng) {
    NDArray x = state.x();
    NDArray target = Scalars.mul(gray, Math.sqrt(3)); // the gray axis coordinate of a gray image
    NDArray known = sde.marginalMean(target, t);
    NDArray noisy = known.add(rng.normal(x.getManager(), target.getShape()).mul(sde.marginalStd(target, t)));
    NDArray newX = replaceGray(x, noisy);
    NDArray newMean = state.mean() == x ? newX : replaceGray(state.mean(), known);
    return new State(newX, newMean);
  }

  /** The final sample with its gray channel set to the input's exactly. x (batch, 3, h, w). */
  public NDArray finish(NDArray x) {
    return replaceGray(x, Scalars.mul(gray, Math.sqrt(3)));
  }

  private static NDArray replaceGray(NDArray x, NDArray grayCoordinate) {
    NDArray u = decouple(x);
    NDArray chroma = u.get(":, 1:3, :, :");
    return couple(grayCoordinate.concat(chroma, 1));
  }

  private static NDArray matrix(NDManager m) {
    return m.create(M, new Shape(3, 3));
  }

  /** out_j = Σ_i x_i·m_ij over the channel axis. x (batch, 3, h, w), m (3, 3). */
  private static NDArray mix(NDArray x, NDArray m) {
    if (x.getShape().dimension() != 4 || x.getShape().get(1) != 3) {
      throw new IllegalArgumentException("colorization needs (batch, 3, h, w) images, got " + x.getShape());
    }
    return x.transpose(0, 2, 3, 1).matMul(m).transpose(0, 3, 1, 2);
  }
}
