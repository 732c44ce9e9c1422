package dev.scoresde.sampling.fast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Scalars;
import dev.scoresde.tensor.Scopes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * DPM-Solver++ multistep in data-prediction form (Lu et al. 2022b, Algorithm 2 and its third-order
 * analogue), and its stochastic variant SDE-DPM-Solver++(2M). One score evaluation per step, at the step's
 * start: NFE = steps (+ 1 for TWEEDIE or MEAN denoising). The first steps use lower orders while the
 * history fills up; with {@code lowerOrderFinal} the last steps do too (the reference's advice below 15
 * steps: high-order extrapolation near ε is unstable with few steps). Works for any SDE of the paper: only
 * α(t), σ(t) enter. With {@code corrected}, each step's result is corrected by UniC (Zhao et al. 2023) as soon as
 * x̂₀ has been evaluated there ({@link DpmSolverCoefficients#uniC}): UniPC, whose second-order predictor with
 * B(h) = e^{−h} − 1 is DPM-Solver++(2M) itself. The correction reuses that evaluation (NFE unchanged) and the
 * final state is not corrected, as in UniPC.
 *
 * @param order 1, 2 or 3 (stochastic: 1 or 2)
 * @param stochastic SDE-DPM-Solver++ instead of the ODE solver
 * @param steps solver steps (grid intervals)
 * @param grid where the steps go (the reference: {@link TimeGridKind#LOG_SNR})
 * @param eps ε, the last time
 * @param denoising final noise removal at ε
 * @param lowerOrderFinal lower the order of the last steps
 * @param corrected UniC after every step but the last (ODE only)
 */
public record DpmSolverPlusPlus(int order, boolean stochastic, int steps, TimeGridKind grid, double eps,
    Denoising denoising, boolean lowerOrderFinal, boolean corrected) implements GridSolver {

  /** Below this many steps the last steps use lower orders (the reference implementation's threshold). */
  public static final int LOWER_ORDER_FINAL_BELOW = 15;

  public DpmSolverPlusPlus {
    if (order < 1 || order > (stochastic ? 2 : 3)) {
      throw new IllegalArgumentException("DPM-Solver++ order must be 1.." + (stochastic ? 2 : 3) + ", got " + order);
    }
    if (corrected && stochastic) {
      throw new IllegalArgumentException("UniC corrects the ODE solver only");
    }
    GridWalk.requireSettings(steps, grid, denoising);
  }

  /** Without the corrector. */
  public DpmSolverPlusPlus(int order, boolean stochastic, int steps, TimeGridKind grid, double eps,
      Denoising denoising, boolean lowerOrderFinal) {
    this(order, stochastic, steps, grid, eps, denoising, lowerOrderFinal, false);
  }

  /** With the reference's rule: lower-order final steps below {@value #LOWER_ORDER_FINAL_BELOW} steps. */
  public DpmSolverPlusPlus(int order, boolean stochastic, int steps, TimeGridKind grid, double eps,
      Denoising denoising) {
    this(order, stochastic, steps, grid, eps, denoising, steps < LOWER_ORDER_FINAL_BELOW, false);
  }

  /** UniPC: order 2 or 3, with UniC, the reference's lower-order final steps below {@value #LOWER_ORDER_FINAL_BELOW} steps. */
  public static DpmSolverPlusPlus uniPc(int order, int steps, TimeGridKind grid, double eps, Denoising denoising) {
    return new DpmSolverPlusPlus(order, false, steps, grid, eps, denoising, steps < LOWER_ORDER_FINAL_BELOW, true);
  }

  @Override
  public SampleResult sample(ScoreModel model, Sde sde, NDArray xT, SamplingContext ctx, TimeGrid times) {
    GridWalk.requireRows(xT, ctx);
    NoiseLevels levels = new NoiseLevels(sde);
    Denoiser denoiser = new Denoiser(model, sde);
    NDManager owner = xT.getManager();
    int n = times.size() - 1;
    int kept = corrected ? order : order - 1; // older predictions the next step needs
    Deque<NDArray> history = new ArrayDeque<>(); // x̂₀ of the previous steps, newest first, each (batch, ...)
    double[] lambdas = new double[order + 1]; // λ of the newest predictions, newest first
    NDArray x = GridWalk.start(xT, ctx, sde, times.get(0));
    NDArray previous = null; // with the corrector: the state the previous step started from
    int previousOrder = 0;
    try {
      for (int i = 0; i < n; i++) {
        double s = times.get(i);
        double t = times.get(i + 1);
        int k = Math.min(order, i + 1);
        if (lowerOrderFinal) {
          k = Math.min(k, n - i);
        }
        System.arraycopy(lambdas, 0, lambdas, 1, order);
        lambdas[0] = levels.lambda(s);
        double[] c = stochastic
            ? DpmSolverCoefficients.sde(k, lambdas, levels.lambda(t), levels.alpha(t), levels.sigma(t), levels.sigma(s))
            : DpmSolverCoefficients.ode(k, lambdas, levels.lambda(t), levels.alpha(t), levels.sigma(t), levels.sigma(s));
        double[] u = previous == null ? null : DpmSolverCoefficients.uniC(previousOrder,
            java.util.Arrays.copyOfRange(lambdas, 1, order + 1), lambdas[0], levels.alpha(s), levels.sigma(s),
            levels.sigma(times.get(i - 1)));
        int used = k;
        int corrOrder = previousOrder;
        NDList inputs = new NDList(x);
        history.forEach(inputs::add);
        if (previous != null) {
          inputs.add(previous);
        }
        NDList out = Scopes.steps(owner, inputs, in -> {
          NDArray m0 = denoiser.predict(in.get(0), s);
          NDArray xs = in.get(0);
          if (u != null) { // UniC: x_s again from the previous state, with x̂₀_s among the predictions
            NDArray fixed = Scalars.mul(in.get(in.size() - 1), u[0]).add(Scalars.mul(m0, u[1]));
            for (int j = 0; j < corrOrder; j++) {
              fixed = fixed.add(Scalars.mul(in.get(1 + j), u[2 + j]));
            }
            xs = GridWalk.constrain(ctx, sde, fixed, s);
          }
          NDArray next = Scalars.mul(xs, c[0]).add(Scalars.mul(m0, c[1]));
          for (int j = 1; j < used; j++) {
            next = next.add(Scalars.mul(in.get(j), c[j + 1]));
          }
          if (stochastic) {
            next = next.add(Scalars.mul(ctx.rng().normal(xs.getManager(), xs.getShape()), c[used + 1]));
          }
          return corrected ? new NDList(GridWalk.constrain(ctx, sde, next, t), m0, xs)
              : new NDList(GridWalk.constrain(ctx, sde, next, t), m0);
        });
        if (previous != null) {
          previous.close();
        }
        previous = corrected ? out.get(2) : null;
        previousOrder = k;
        if (previous != x) {
          x.close();
        }
        x = out.get(0);
        history.addFirst(out.get(1));
        while (history.size() > kept) {
          history.removeLast().close();
        }
        GridWalk.progress(ctx, i + 1, n, denoiser, t);
      }
    } finally {
      history.forEach(NDArray::close);
      if (previous != null && previous != x) {
        previous.close();
      }
    }
    NDArray samples = GridWalk.finish(denoising, denoiser, sde, x, times);
    return new SampleResult(samples, denoiser.count());
  }
}
