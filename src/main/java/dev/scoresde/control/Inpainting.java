package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sampling.State;
import dev.scoresde.sampling.StateConstraint;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Inpainting (Song et al. 2021, Appendix I.2): after every step the known pixels are replaced by the
 * observation perturbed to the current time, y(t) = α(t)·y + σ(t)·z, in the noisy state, and by its
 * mean α(t)·y in the step's mean (the reference code mixes the noisy state into the mean instead).
 * {@link #finish} puts the observation itself back, so known pixels are returned exactly.
 */
public final class Inpainting implements StateConstraint {
  private final NDArray observation; // (batch, ...) in the model's value range
  private final NDArray mask; // (batch, ...) or broadcastable: 1 where known, 0 where to fill in

  /**
   * @param observation the image to complete, (batch, ...); values under mask = 0 are ignored
   * @param mask 1 for known pixels, 0 for unknown, same shape as observation or broadcastable to it
   */
  public Inpainting(NDArray observation, NDArray mask) {
    this.observation = observation;
    this.mask = mask;
  }

  @Override
  public State apply(State state, NDArray t, Sde sde, Rng rng) {
    NDArray x = state.x();
    NDArray known = sde.marginalMean(observation, t);
    NDArray noisy = known.add(rng.normal(x.getManager(), x.getShape()).mul(sde.marginalStd(x, t)));
    NDArray keep = Scalars.add(mask.neg(), 1);
    NDArray newX = x.mul(keep).add(noisy.mul(mask));
    NDArray newMean = state.mean() == x ? newX : state.mean().mul(keep).add(known.mul(mask));
    return new State(newX, newMean);
  }

  /** The final sample with the known pixels set to the observation exactly. x (batch, ...). */
  public NDArray finish(NDArray x) {
    return x.mul(Scalars.add(mask.neg(), 1)).add(observation.mul(mask));
  }
}
