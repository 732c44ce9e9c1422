package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.DiscreteStep;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Reverse diffusion (Song et al. 2021, Appendix E, Eq. 46): the forward chain x_{i+1} = x_i + f_i(x_i) + G_i z_i
 * run backwards, x_i = x_{i+1} − f_{i+1}(x_{i+1}) + G_{i+1}² s(x_{i+1}, t_{i+1}) + G_{i+1} z. The chain level
 * comes from t ({@link Sde#discreteStep}), so the grid must follow the SDE's N levels; tNext is not used.
 */
public record ReverseDiffusionPredictor() implements Predictor {

  @Override
  public State update(ScoreModel score, Sde sde, State state, double t, double tNext, Rng rng) {
    NDArray x = state.x(); // (batch, ...)
    NDArray mean = mean(score, sde, x, t);
    double g = sde.discreteStep(t).diffusion();
    NDArray z = rng.normal(x.getManager(), x.getShape());
    return new State(mean.add(Scalars.mul(z, g)), mean);
  }

  /** The noise-free reverse-diffusion step x − rev_f(x) = (1 − a_i) x + G_i² s(x, t); x (batch, ...). */
  public static NDArray mean(ScoreModel score, Sde sde, NDArray x, double t) {
    DiscreteStep step = sde.discreteStep(t);
    double g = step.diffusion();
    NDArray s = score.score(x, Times.filled(x, t));
    return Scalars.mul(x, 1 - step.driftCoefficient()).add(Scalars.mul(s, g * g));
  }
}
