package dev.scoresde.sde;

import ai.djl.ndarray.NDArray;
import dev.scoresde.tensor.Scalars;

/**
 * The reverse-time SDE dx = [f(x, t) − g(t)² ∇ₓ log p_t(x)] dt + g(t) dw̄ (Eq. 6), or with
 * {@code probabilityFlow} the ODE dx = [f(x, t) − ½ g(t)² ∇ₓ log p_t(x)] dt (Eq. 13).
 */
public record ReverseSde(Sde sde, ScoreFunction score, boolean probabilityFlow) {

  private double scoreWeight() {
    return probabilityFlow ? 0.5 : 1.0;
  }

  /** The reverse drift at each row's time. x (batch, ...), t (batch) → (batch, ...). */
  public NDArray drift(NDArray x, NDArray t) {
    NDArray g = sde.diffusion(x, t);
    NDArray s = score.score(x, t);
    return sde.drift(x, t).sub(Scalars.mul(s.mul(g.square()), scoreWeight()));
  }

  /** The drift given an already computed score (saves a network evaluation). */
  public NDArray drift(NDArray x, NDArray t, NDArray score) {
    NDArray g = sde.diffusion(x, t);
    return sde.drift(x, t).sub(Scalars.mul(score.mul(g.square()), scoreWeight()));
  }

  /** g(t) per row (batch, 1, ...), zero for the probability-flow ODE. */
  public NDArray diffusion(NDArray x, NDArray t) {
    NDArray g = sde.diffusion(x, t);
    return probabilityFlow ? g.zerosLike() : g;
  }

  /**
   * The reverse of the discretized chain (Eq. 46 of Appendix E, "reverse diffusion"):
   * rev_f = f_i(x) − G_i² s(x, t) (halved for the flow) and rev_G = G_i (0 for the flow).
   */
  public Discretization discretize(NDArray x, NDArray t) {
    Discretization fwd = sde.discretize(x, t);
    NDArray s = score.score(x, t);
    NDArray revF = fwd.f().sub(Scalars.mul(s.mul(fwd.g().square()), scoreWeight()));
    return new Discretization(revF, probabilityFlow ? fwd.g().zerosLike() : fwd.g());
  }
}
