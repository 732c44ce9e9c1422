package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sampling.ode.DormandPrince;
import dev.scoresde.sampling.ode.OdeFunction;
import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.sampling.ode.OdeSolution;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.ReverseSde;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Scopes;

/**
 * The probability-flow ODE sampler (Song et al. 2021, Section 4.3): integrates
 * dx/dt = f(x, t) − ½ g(t)² s(x, t) (Eq. 13) from T to ε with the adaptive Dormand–Prince RK45 (the
 * reference uses scipy's RK45 with rtol = atol = 1e-5), every batch row with its own step size. The start
 * x(T) is the caller's (temperature scaling of the prior is the caller's business). NFE = the solver's
 * evaluations, + 1 for a final denoising step.
 *
 * <p>Constraints: the solver is not interrupted mid-step, so with a constraint other than
 * {@link StateConstraint#NONE} the flow is integrated piecewise over {@code constraintSegments} equal
 * pieces of [ε, T], restarting the solver at each boundary after applying the constraint there (and to
 * the start). Each restart costs the solver's two start-up evaluations. Without a constraint it is one solve.
 *
 * @param options solver tolerances (paper: rtol = atol = 1e-5)
 * @param eps ε, where integration stops
 * @param denoising {@link Denoising#MEAN} = the reference's one reverse-diffusion step at ε without
 *     noise; {@link Denoising#TWEEDIE} = Tweedie's formula at ε
 * @param constraintSegments pieces of the piecewise solve when a constraint is given (≥ 1)
 */
public record ProbabilityFlowSampler(OdeOptions options, double eps, Denoising denoising, int constraintSegments)
    implements Sampler {

  public static final int DEFAULT_CONSTRAINT_SEGMENTS = 50;

  public ProbabilityFlowSampler {
    if (options == null || denoising == null) {
      throw new IllegalArgumentException("ODE options and denoising must be given");
    }
    if (!(eps > 0) || !(eps < 1)) {
      throw new IllegalArgumentException("eps must lie in (0, 1), got " + eps);
    }
    if (constraintSegments < 1) {
      throw new IllegalArgumentException("constraint segments must be at least 1, got " + constraintSegments);
    }
  }

  public ProbabilityFlowSampler(OdeOptions options, double eps, Denoising denoising) {
    this(options, eps, denoising, DEFAULT_CONSTRAINT_SEGMENTS);
  }

  @Override
  public SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx) {
    double end = sde.endTime();
    if (!(eps < end)) {
      throw new IllegalArgumentException("eps " + eps + " must be below the SDE's end time " + end);
    }
    CountingScoreModel score = new CountingScoreModel(model);
    ReverseSde flow = sde.reverse(score, true);
    OdeFunction drift = (t, y) -> flow.drift(y, t);
    DormandPrince solver = new DormandPrince(options);
    boolean constrained = ctx.constraint() != StateConstraint.NONE;
    double[] bounds = constrained ? TimeGrid.uniform(end, eps, constraintSegments + 1).times() : new double[] {end, eps};
    NDArray x = constrain(ctx, sde, xT.duplicate(), end);
    // one progress over all segments: steps and evaluations continue across the solves
    OdeProgress progress = new OdeProgress(ctx.listener(), end, eps, 0, n -> score.count());
    for (int k = 0; k + 1 < bounds.length; k++) {
      OdeSolution solution = solver.solve(drift, x, bounds[k], bounds[k + 1], progress);
      x.close();
      x = constrain(ctx, sde, solution.y(), bounds[k + 1]);
    }
    NDArray out = switch (denoising) {
      case NONE -> x;
      case MEAN -> Scopes.step(x, y -> ReverseDiffusionPredictor.mean(score, sde, y, eps));
      case TWEEDIE -> Scopes.step(x, y -> Denoising.tweedie(score, sde, y, eps));
    };
    Scopes.closeUnless(x, out);
    return new SampleResult(out, score.count());
  }

  private static NDArray constrain(SamplingContext ctx, Sde sde, NDArray x, double t) {
    if (ctx.constraint() == StateConstraint.NONE) {
      return x;
    }
    NDArray out = Scopes.step(x, y -> {
      State s = ctx.constraint().apply(State.of(y), Times.filled(y, t), sde, ctx.rng());
      return s.x() == y ? y.duplicate() : s.x();
    });
    x.close();
    return out;
  }
}
