package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scopes;
import java.util.function.UnaryOperator;

/**
 * The predictor–corrector sampler (Song et al. 2021, Section 4.2, Algorithm 1; the reference code's
 * {@code pc_sampler}). Predictor-only and corrector-only samplers are the cases with a {@link NoneCorrector}
 * or {@link NonePredictor}.
 *
 * <p>With {@code steps} = N both orders spend N predictor and N·M corrector evaluations (M = corrector
 * steps), plus one for {@link Denoising#TWEEDIE}:
 * <ul>
 *   <li>{@link Order#CORRECTOR_FIRST} (the reference code, which made the paper's numbers): the grid
 *       linspace(T, ε, N) and a chain of N levels; at each t_i correct, then predict t_i → t_{i+1}; the
 *       last predictor step goes from ε to the data end t = 0 (the chain's level-0 step).
 *   <li>{@link Order#PREDICTOR_FIRST} (Algorithm 1, 2, 3 of the paper): N + 1 levels
 *       linspace(T, ε, N + 1); predict t_i → t_{i+1}, then correct at t_{i+1}; the last state is at ε.
 * </ul>
 * The constraint of the context is applied to the start state and after every predictor and corrector
 * step (not after "none" steps), with the time the state is then at. The score is only evaluated on the grid
 * (never below ε). Each step runs in its own tensor scope, so memory stays flat however many steps.
 *
 * @param predictor the predictor
 * @param corrector the corrector
 * @param steps N, the number of predictor steps (≥ 1)
 * @param eps ε, the last time of the grid
 * @param order which of predictor and corrector goes first at each level
 * @param denoising the final noise removal
 */
public record PcSampler(Predictor predictor, Corrector corrector, int steps, double eps, Order order,
    Denoising denoising) implements Sampler {

  /** The order of the two updates at each noise level. */
  public enum Order {
    /** Algorithm 1 of the paper: predictor, then corrector at the new time. */
    PREDICTOR_FIRST,
    /** The reference code: corrector at t_i, then predictor from t_i. */
    CORRECTOR_FIRST
  }

  public PcSampler {
    if (predictor == null || corrector == null || order == null || denoising == null) {
      throw new IllegalArgumentException("predictor, corrector, order and denoising must be given");
    }
    if (predictor instanceof NonePredictor && corrector instanceof NoneCorrector) {
      throw new IllegalArgumentException("a PC sampler needs a predictor or a corrector (both are none)");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    if (!(eps > 0) || !(eps < 1)) {
      throw new IllegalArgumentException("eps must lie in (0, 1), got " + eps);
    }
  }

  /** The score evaluations {@link #sample(ScoreModel, Sde, NDArray, SamplingContext)} will spend: N(P + M) (+ 1). */
  public int plannedEvaluations() {
    return steps * (predictor.evaluations() + corrector.evaluations()) + (denoising == Denoising.TWEEDIE ? 1 : 0);
  }

  /** The grid this sampler walks for {@code sde}: N points (corrector first) or N + 1 (predictor first). */
  public TimeGrid grid(Sde sde) {
    if (!(eps < sde.endTime())) {
      throw new IllegalArgumentException("eps " + eps + " must be below the SDE's end time " + sde.endTime());
    }
    int points = order == Order.CORRECTOR_FIRST ? steps : steps + 1;
    if (points < 2) {
      throw new IllegalArgumentException("corrector-first sampling needs at least 2 steps, got " + steps);
    }
    return TimeGrid.uniform(sde.endTime(), eps, points);
  }

  /** Samples on {@link #grid} with the SDE's chain re-levelled to the grid (N levels = grid points). */
  @Override
  public SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx) {
    TimeGrid grid = grid(sde);
    return sample(model, Chains.withLevels(sde, grid.size()), xT, ctx, grid);
  }

  /**
   * Samples on an explicit grid: corrector first walks all n points (n steps, the last to t = 0),
   * predictor first the n − 1 intervals. The discrete-chain predictors take their level from each time
   * through {@code sde}'s own N, so with them the grid should be the chain's levels.
   *
   * @param xT the start at grid.get(0), (batch, ...); not closed
   */
  public SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx, TimeGrid grid) {
    predictor.requireSupports(sde);
    if (ctx.rng().rows() != xT.getShape().get(0)) {
      throw new IllegalArgumentException("rng has " + ctx.rng().rows() + " rows, x has " + xT.getShape().get(0));
    }
    CountingScoreModel score = new CountingScoreModel(model);
    NDManager owner = xT.getManager();
    Rng rng = ctx.rng();
    int n = grid.size();
    int total = order == Order.CORRECTOR_FIRST ? n : n - 1;
    State state = inScope(owner, State.of(xT.duplicate()), s -> constrain(ctx, sde, s, grid.get(0)));
    for (int i = 0; i < total; i++) {
      double t = grid.get(i);
      double next = i + 1 < n ? grid.get(i + 1) : 0;
      state = inScope(owner, state, s -> {
        if (order == Order.CORRECTOR_FIRST) {
          s = correct(score, sde, s, t, ctx);
          return predict(score, sde, s, t, next, ctx);
        }
        s = predict(score, sde, s, t, next, ctx);
        return correct(score, sde, s, next, ctx);
      });
      ctx.listener().onStep(new SamplingListener.Progress(i + 1, total, score.count(), next));
    }
    NDArray out = switch (denoising) {
      case NONE -> state.x();
      case MEAN -> state.mean();
      case TWEEDIE -> Scopes.step(state.x(), x -> Denoising.tweedie(score, sde, x, grid.get(n - 1)));
    };
    Scopes.closeUnless(state.x(), out);
    Scopes.closeUnless(state.mean(), out);
    return new SampleResult(out, score.count());
  }

  private State predict(ScoreModel score, Sde sde, State s, double t, double next, SamplingContext ctx) {
    if (predictor instanceof NonePredictor) {
      return s;
    }
    return constrain(ctx, sde, predictor.update(score, sde, s, t, next, ctx.rng()), next);
  }

  private State correct(ScoreModel score, Sde sde, State s, double t, SamplingContext ctx) {
    if (corrector instanceof NoneCorrector) {
      return s;
    }
    return constrain(ctx, sde, corrector.update(score, sde, s, t, ctx.rng()), t);
  }

  private static State constrain(SamplingContext ctx, Sde sde, State s, double t) {
    if (ctx.constraint() == StateConstraint.NONE) {
      return s;
    }
    return ctx.constraint().apply(s, Times.filled(s.x(), t), sde, ctx.rng());
  }

  /**
   * Runs one step with the state's arrays moved into a fresh sub-manager: everything the step creates
   * (and the old state) is freed when it ends; only the new state moves to {@code owner}.
   */
  private static State inScope(NDManager owner, State state, UnaryOperator<State> body) {
    try (NDManager scope = owner.newSubManager()) {
      state.x().attach(scope);
      state.mean().attach(scope);
      State next = body.apply(state);
      next.x().attach(owner);
      next.mean().attach(owner);
      return next;
    }
  }
}
