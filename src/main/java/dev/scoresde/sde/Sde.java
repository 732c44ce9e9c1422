package dev.scoresde.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * A forward SDE dx = f(x, t) dt + g(t) dw on [0, T] (Song et al. 2021, Eq. 5). All the paper's SDEs
 * have a drift linear in x, f(x, t) = f(t)·x, and Gaussian transition kernels
 * p_0t(x(t) | x(0)) = N(α(t)·x(0), σ(t)²·I); implementations give those scalar functions and
 * this interface derives the batched tensor forms.
 */
public interface Sde {

  /** The end time T (1 for the paper's SDEs). */
  default double endTime() {
    return 1.0;
  }

  /** N, the number of discretization steps of the paper's Markov chains. */
  int steps();

  /** The default end time ε of sampling and likelihood (paper: 1e-5 for VE, 1e-3 for VP and sub-VP). */
  double samplingEps();

  /** Which SDE this is, by the name the API and the checkpoints use. */
  SdeKind kind();

  /** f(t), the drift coefficient: f(x, t) = f(t)·x. */
  double driftCoefficient(double t);

  /** g(t), the diffusion coefficient. */
  double diffusion(double t);

  /** α(t), the mean coefficient of p_0t: E[x(t) | x(0)] = α(t)·x(0). */
  double meanCoefficient(double t);

  /** σ(t), the standard deviation of p_0t. */
  double marginalStd(double t);

  /** The discretized chain's step at time t: x_{i+1} = x_i + f_i(x_i) + G_i z_i, with f_i(x) = a_i·x. */
  DiscreteStep discreteStep(double t);

  /** The std of the prior p_T the sampler starts from (σ_max for VE, 1 for VP and sub-VP). */
  double priorStd();

  /**
   * The Langevin corrector's α_i: 1 − β_i for the β-schedule SDEs (the paper's Algorithm 5), else 1.
   */
  default double langevinAlpha(double t) {
    return 1.0;
  }

  // ---- batched forms -------------------------------------------------------------------------

  /** f(x, t) = f(t)·x. x (batch, ...), t (batch) → (batch, ...). */
  default NDArray drift(NDArray x, NDArray t) {
    return x.mul(Times.perRow(x, t, this::driftCoefficient));
  }

  /** g(t) for each row, shaped to broadcast against x: (batch, 1, ...). */
  default NDArray diffusion(NDArray x, NDArray t) {
    return Times.perRow(x, t, this::diffusion);
  }

  /** The mean α(t)·x(0) of p_0t(x(t) | x(0)). x0 (batch, ...), t (batch) → (batch, ...). */
  default NDArray marginalMean(NDArray x0, NDArray t) {
    return x0.mul(Times.perRow(x0, t, this::meanCoefficient));
  }

  /** σ(t) for each row, shaped to broadcast against x: (batch, 1, ...). */
  default NDArray marginalStd(NDArray x, NDArray t) {
    return Times.perRow(x, t, this::marginalStd);
  }

  /** A draw x(t) = α(t)·x(0) + σ(t)·z from p_0t(x(t) | x(0)). */
  default NDArray perturb(NDArray x0, NDArray t, Rng rng) {
    NDArray z = rng.normal(x0.getManager(), x0.getShape());
    return marginalMean(x0, t).add(z.mul(marginalStd(x0, t)));
  }

  /** The discretized chain's f_i(x) and G_i at each row's time (the SMLD/DDPM chains of the paper). */
  default Discretization discretize(NDArray x, NDArray t) {
    float[] ts = t.toFloatArray();
    float[] a = new float[ts.length];
    float[] g = new float[ts.length];
    for (int i = 0; i < ts.length; i++) {
      DiscreteStep s = discreteStep(ts[i]);
      a[i] = (float) s.driftCoefficient();
      g[i] = (float) s.diffusion();
    }
    Shape rowShape = Times.rowShape(x);
    NDManager m = x.getManager();
    return new Discretization(x.mul(m.create(a, rowShape)), m.create(g, rowShape));
  }

  /** A sample of the prior p_T = N(0, priorStd²·I) of the given shape (batch, ...). */
  default NDArray priorSample(NDManager manager, Shape shape, Rng rng) {
    return Scalars.mul(rng.normal(manager, shape), priorStd());
  }

  /** log p_T(z) of the Gaussian prior for each row. z (batch, ...) → (batch). */
  default NDArray priorLogp(NDArray z) {
    long d = z.getShape().size() / z.getShape().get(0);
    double s2 = priorStd() * priorStd();
    NDArray sq = z.square().reshape(z.getShape().get(0), -1).sum(new int[] {1});
    return Scalars.sub(Scalars.div(sq, -2 * s2), 0.5 * d * Math.log(2 * Math.PI * s2));
  }

  /** The reverse-time SDE (Eq. 6) or, with {@code probabilityFlow}, the probability-flow ODE (Eq. 13). */
  default ReverseSde reverse(ScoreFunction score, boolean probabilityFlow) {
    return new ReverseSde(this, score, probabilityFlow);
  }

  /**
   * The time index i of the discrete chains for time t, as in the reference: ⌊t (N − 1) / T⌋, with a
   * slack of a few float32 ulps so that times that went through a float32 tensor keep their index.
   */
  default int timestep(double t) {
    double i = t * (steps() - 1) / endTime();
    return Math.max(0, Math.min(steps() - 1, (int) Math.floor(i + 4e-7 * steps())));
  }
}
