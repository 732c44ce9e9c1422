package dev.scoresde.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.ode.DormandPrince;
import dev.scoresde.sampling.ode.OdeFunction;
import dev.scoresde.sampling.ode.OdeListener;
import dev.scoresde.sampling.ode.OdeSolution;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.ReverseSde;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Doubles;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scopes;

/**
 * Exact likelihood through the probability-flow ODE (Song et al. 2021, Section 4.3 and Appendix D.2;
 * the reference's likelihood.py). The flow dx/dt = f̃(x, t) = f(x, t) − ½ g(t)² ∇ₓ log p_t(x) (Eq. 13)
 * transports p_ε to p_T, and by the instantaneous change of variables
 * log p_ε(x(ε)) = log p_T(x(T)) + ∫_ε^T ∇·f̃(x(t), t) dt (Eq. 39).
 *
 * <p>The augmented state (x, Δlog p) is integrated jointly by Dormand–Prince as one (batch, D + C) tensor:
 * x flattened to D values and C divergence channels. With K Hutchinson probes C = K: every probe gets
 * its own channel, all channels share the one x trajectory (x does not depend on the probes), and one
 * vector-Jacobian product per evaluation serves all K (see {@link FlowDivergence}). That costs a forward
 * and backward pass on K·batch rows per evaluation, instead of K whole solves with K trajectories, and
 * gives the K per-probe estimates whose spread is the standard error. The exact estimator uses C = 1.
 */
public final class ProbabilityFlowLikelihood {
  private final Sde sde;
  private final ReverseSde flow;
  private final LikelihoodSettings settings;

  public ProbabilityFlowLikelihood(Sde sde, ScoreModel score, LikelihoodSettings settings) {
    if (!(settings.eps() < sde.endTime())) {
      throw new IllegalArgumentException("eps " + settings.eps() + " must be below the SDE's end time " + sde.endTime());
    }
    this.sde = sde;
    this.flow = sde.reverse(score, true);
    this.settings = settings;
  }

  public LikelihoodSettings settings() {
    return settings;
  }

  public LikelihoodResult logLikelihood(NDArray x, Rng rng) {
    return logLikelihood(x, rng, OdeListener.NONE);
  }

  /**
   * @param x data in the model's value range, (batch, ...), e.g. (batch, c, h, w) or (batch, d); not closed
   * @param rng one stream per row for the Hutchinson probes (unused, may be null, for the exact estimator)
   * @param listener solver progress; may throw CancellationException
   */
  public LikelihoodResult logLikelihood(NDArray x, Rng rng, OdeListener listener) {
    NDManager owner = x.getManager();
    Shape shape = x.getShape();
    int b = Math.toIntExact(shape.get(0));
    int d = Math.toIntExact(shape.size() / b);
    DivergenceEstimator estimator = settings.estimator();
    int k = settings.probes();
    int c = estimator.channels(k);
    try (NDManager scope = owner.newSubManager()) {
      NDArray probes = estimator.probes(scope, rng, b, d, k); // (batch, P, D)
      NDArray copy = x.toType(DataType.FLOAT32, true);
      copy.attach(scope);
      NDArray flat = copy.reshape(b, d);
      NDArray y0 = flat.concat(scope.zeros(new Shape(b, c)), 1); // (batch, D + C)
      OdeFunction augmented = (t, y) -> Scopes.step(y, yy -> {
        FlowDivergence.Evaluation e = FlowDivergence.evaluate(flow::drift, yy.get(":, :" + d).reshape(shape), t, probes);
        NDArray div = estimator.isExact() ? e.divergence().sum(new int[] {1}, true) : e.divergence();
        return e.drift().reshape(b, d).concat(div, 1);
      });
      OdeSolution solution = new DormandPrince(settings.odeOptions())
          .solve(augmented, y0, settings.eps(), sde.endTime(), listener);
      NDArray z = solution.y().get(":, :" + d).reshape(shape).duplicate();
      double[] prior = Doubles.of(sde.priorLogp(z));
      double[] deltas = Doubles.of(solution.y().get(":, " + d + ":"));
      z.attach(owner);
      return assemble(prior, deltas, c, z, d, solution.nfe(), estimator.isExact());
    }
  }

  /** Per-row sums and spread over the probe channels (in double). */
  private static LikelihoodResult assemble(double[] prior, double[] deltas, int c, NDArray z, int d, int nfe,
      boolean exact) {
    int b = prior.length;
    double[] logp = new double[b];
    double[] integral = new double[b];
    double[] se = new double[b];
    double[][] perProbe = new double[b][c];
    for (int r = 0; r < b; r++) {
      double mean = 0;
      for (int j = 0; j < c; j++) {
        perProbe[r][j] = prior[r] + deltas[r * c + j];
        mean += deltas[r * c + j];
      }
      mean /= c;
      double ss = 0;
      for (int j = 0; j < c; j++) {
        ss += Math.pow(deltas[r * c + j] - mean, 2);
      }
      integral[r] = mean;
      logp[r] = prior[r] + mean;
      se[r] = exact ? 0 : c == 1 ? Double.NaN : Math.sqrt(ss / (c - 1) / c);
    }
    return new LikelihoodResult(logp, prior, integral, perProbe, se, z, d, nfe);
  }
}
