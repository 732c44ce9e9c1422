package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Ancestral sampling of the discrete chains (Song et al. 2021, Appendix F). SMLD (VE), Eq. 47:
 * x_{i−1} = x_i + (σ_i² − σ_{i−1}²) s(x_i, σ_i) + sqrt(σ_{i−1}² (σ_i² − σ_{i−1}²) / σ_i²) z, with σ_{−1} = 0.
 * DDPM (VP), Eq. 48: x_{i−1} = (x_i + β_i s(x_i, i)) / sqrt(1 − β_i) + sqrt(β_i) z.
 * The sub-VP SDE has no such discrete chain in the paper (nor in the reference code), so it is rejected.
 * The level i comes from t; tNext is not used.
 */
public record AncestralSamplingPredictor() implements Predictor {

  @Override
  public void requireSupports(Sde sde) {
    if (!(sde instanceof VeSde) && !(sde instanceof VpSde)) {
      throw new IllegalArgumentException("ancestral sampling is defined for the VE (SMLD) and VP (DDPM) chains only, not "
          + sde.kind().id() + "; use euler-maruyama or reverse-diffusion");
    }
  }

  @Override
  public State update(ScoreModel score, Sde sde, State state, double t, double tNext, Rng rng) {
    requireSupports(sde);
    NDArray x = state.x(); // (batch, ...)
    int i = sde.timestep(t);
    NDArray s = score.score(x, Times.filled(x, t));
    NDArray mean;
    double std;
    if (sde instanceof VeSde ve) {
      double s2 = sq(ve.discreteSigma(i));
      double prev2 = i == 0 ? 0 : sq(ve.discreteSigma(i - 1));
      mean = x.add(Scalars.mul(s, s2 - prev2));
      std = Math.sqrt(prev2 * (s2 - prev2) / s2);
    } else {
      double beta = ((VpSde) sde).schedule().discreteBeta(i);
      mean = Scalars.div(x.add(Scalars.mul(s, beta)), Math.sqrt(1 - beta));
      std = Math.sqrt(beta);
    }
    NDArray z = rng.normal(x.getManager(), x.getShape());
    return new State(mean.add(Scalars.mul(z, std)), mean);
  }

  private static double sq(double v) {
    return v * v;
  }
}
