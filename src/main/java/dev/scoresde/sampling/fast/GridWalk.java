package dev.scoresde.sampling.fast;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.ReverseDiffusionPredictor;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.State;
import dev.scoresde.sampling.StateConstraint;
import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Scopes;

/**
 * What every fast solver does around its steps, the same way the PC sampler does it: the start state
 * constrained at T, the context's constraint after each step at the step's end time, progress after each
 * step, and the final denoising at ε. The solvers own only their update formulas.
 */
final class GridWalk {
  private GridWalk() {}

  static void requireRows(NDArray xT, SamplingContext ctx) {
    if (ctx.rng().rows() != xT.getShape().get(0)) {
      throw new IllegalArgumentException("rng has " + ctx.rng().rows() + " rows, x has " + xT.getShape().get(0));
    }
  }

  /** A copy of x_T with the constraint applied at T, in xT's manager. (batch, ...) */
  static NDArray start(NDArray xT, SamplingContext ctx, Sde sde, double t) {
    return Scopes.step(xT, x -> constrain(ctx, sde, x.duplicate(), t));
  }

  /** The constraint at time t (inside the caller's scope: may return x itself). x (batch, ...) */
  static NDArray constrain(SamplingContext ctx, Sde sde, NDArray x, double t) {
    if (ctx.constraint() == StateConstraint.NONE) {
      return x;
    }
    return ctx.constraint().apply(State.of(x), Times.filled(x, t), sde, ctx.rng()).x();
  }

  static void progress(SamplingContext ctx, int step, int total, Denoiser denoiser, double t) {
    ctx.listener().onStep(new SamplingListener.Progress(step, total, denoiser.count(), t));
  }

  /**
   * The final noise removal at ε, with the same meaning as for the probability-flow sampler; consumes x.
   * TWEEDIE is the step to σ = 0 (for Heun the final Euler step of Karras et al.'s Algorithm 1).
   */
  static NDArray finish(Denoising denoising, Denoiser denoiser, Sde sde, NDArray x, TimeGrid grid) {
    double eps = grid.get(grid.size() - 1);
    NDArray out = switch (denoising) {
      case NONE -> x;
      case MEAN -> Scopes.step(x, y -> ReverseDiffusionPredictor.mean(denoiser.counted(), sde, y, eps));
      case TWEEDIE -> Scopes.step(x, y -> denoiser.predict(y, eps));
    };
    Scopes.closeUnless(x, out);
    return out;
  }
}
