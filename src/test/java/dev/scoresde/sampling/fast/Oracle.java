package dev.scoresde.sampling.fast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.ProbabilityFlowSampler;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;

/**
 * The analytic test oracle of the fast solvers (with {@link dev.scoresde.sampling.Mixtures#plane()}, whose score
 * is exact): prior draws and the flow's reference solution.
 */
final class Oracle {
  private Oracle() {}

  /** n prior draws x_T, (n, d). */
  static NDArray prior(NDManager m, Sde sde, int n, int d, long seed) {
    return sde.priorSample(m, new Shape(n, d), Rng.of(seed, n));
  }

  /** The probability-flow ODE's solution at eps from xT by RK45 at rtol = atol = 1e-6: the reference path. */
  static NDArray reference(GaussianMixtureScore score, Sde sde, NDArray xT, double eps) {
    int n = Math.toIntExact(xT.getShape().get(0));
    return new ProbabilityFlowSampler(OdeOptions.of(1e-6, 1e-6), eps, Denoising.NONE)
        .sample(score, sde, xT, SamplingContext.of(Rng.of(0, n))).samples();
  }

  /** Root mean square of a − b over all elements. */
  static double rms(NDArray a, NDArray b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (x[i] - (double) y[i]) * (x[i] - (double) y[i]);
    }
    return Math.sqrt(s / x.length);
  }
}
