package dev.scoresde.sampling.fast;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.ReverseDiffusionPredictor;
import dev.scoresde.sampling.SampleResult;
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

  /** One solver update from time s to time t (inside the walk's scope; not constrained yet). xs (batch, ...) */
  @FunctionalInterface
  interface Step {
    NDArray apply(NDArray xs, double s, double t);
  }

  /** The settings every fast solver shares. */
  static void requireSettings(int steps, TimeGridKind grid, Denoising denoising) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    if (grid == null || denoising == null) {
      throw new IllegalArgumentException("time grid and denoising must be given");
    }
  }

  /**
   * A one-step solver's whole walk over the grid: start at times.get(0), apply step on each interval then
   * the constraint at its end, report progress, and finish with the denoising. xT (batch, ...); not closed.
   */
  static SampleResult walk(NDArray xT, SamplingContext ctx, Sde sde, TimeGrid times, Denoiser denoiser,
      Denoising denoising, Step step) {
    requireRows(xT, ctx);
    int n = times.size() - 1;
    NDArray x = start(xT, ctx, sde, times.get(0));
    for (int i = 0; i < n; i++) {
      double s = times.get(i);
      double t = times.get(i + 1);
      NDArray next = Scopes.step(x, xs -> constrain(ctx, sde, step.apply(xs, s, t), t));
      x.close();
      x = next;
      progress(ctx, i + 1, n, denoiser, t);
    }
    NDArray samples = finish(denoising, denoiser, sde, x, times);
    return new SampleResult(samples, denoiser.count());
  }

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
