package dev.scoresde.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.nn.reference.ReferenceConfig;
import dev.scoresde.nn.reference.ReferenceConfig.SdeType;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Scalars;

/**
 * The reference's {@code get_score_fn} for an imported network: which labels the network sees at time t,
 * and how its output becomes the score.
 * <ul>
 *   <li>VE, continuous: labels σ(t); score = output (scale_by_sigma divides inside the network).</li>
 *   <li>VE, discrete (SMLD): labels round((1 − t)(N − 1)), the index of σ (largest first); score = output.</li>
 *   <li>VP continuous, and sub-VP: labels 999t; score = −output/σ(t).</li>
 *   <li>VP, discrete (DDPM): labels t(N − 1); score = −output/√(1 − ᾱ_k), k = ⌊t(N − 1)⌋, with
 *       ᾱ_k = ∏_{i≤k}(1 − β_i), β_i = linspace(β_min/N, β_max/N, N).</li>
 * </ul>
 */
final class ReferenceScoreFn {
  private final ReferenceConfig config;
  private final Sde sde;
  private final float[] sqrtOneMinusAlphaBar; // discrete VP only

  ReferenceScoreFn(ReferenceConfig config, Sde sde) {
    this.config = config;
    this.sde = sde;
    this.sqrtOneMinusAlphaBar = discreteVp() ? sqrtOneMinusAlphaBar(config.model()) : null;
  }

  private boolean discreteVp() {
    return config.training().sde() == SdeType.VPSDE && !config.training().continuous();
  }

  /** The labels the network sees: (batch) float32. */
  NDArray labels(NDArray x, NDArray t) {
    int n = config.model().numScales();
    NDArray t32 = t.toType(DataType.FLOAT32, false).reshape(-1);
    return switch (config.training().sde()) {
      case VESDE -> config.training().continuous()
          ? Times.perRow(x, t, sde::marginalStd).reshape(-1).toType(DataType.FLOAT32, false)
          : Scalars.mul(Scalars.add(t32.neg(), 1), n - 1).round();
      case VPSDE -> Scalars.mul(t32, config.training().continuous() ? 999 : n - 1);
      case SUBVPSDE -> Scalars.mul(t32, 999);
    };
  }

  /** The score from the network's output at (x, t) and the labels it saw. */
  NDArray score(NDArray out, NDArray x, NDArray t, NDArray labels) {
    if (config.training().sde() == SdeType.VESDE) {
      return out;
    }
    NDArray std = discreteVp()
        ? x.getManager().create(sqrtOneMinusAlphaBar).get(labels.toType(DataType.INT64, false))
        : marginalStd(t);
    return out.neg().div(std.reshape(Times.rowShape(x)));
  }

  /**
   * sde_lib's marginal std in float32, as the reference computes it: with λ = −¼t²(β₁ − β₀) − ½tβ₀,
   * √(1 − e^{2λ}) for VP and 1 − e^{2λ} for sub-VP. (At small t float32 loses digits to cancellation; the
   * reference's score carries that error, so an imported model reproduces it.)
   */
  private NDArray marginalStd(NDArray t) {
    ReferenceConfig.ModelOptions m = config.model();
    NDArray t32 = t.toType(DataType.FLOAT32, false).reshape(-1);
    NDArray lambda = Scalars.mul(Scalars.mul(t32.square(), -0.25), m.betaMax() - m.betaMin())
        .sub(Scalars.mul(Scalars.mul(t32, 0.5), m.betaMin()));
    NDArray oneMinus = Scalars.add(Scalars.mul(lambda, 2).exp().neg(), 1);
    return config.training().sde() == SdeType.SUBVPSDE ? oneMinus : oneMinus.sqrt();
  }

  private static float[] sqrtOneMinusAlphaBar(ReferenceConfig.ModelOptions m) {
    int n = m.numScales();
    float[] out = new float[n];
    double alphaBar = 1;
    for (int i = 0; i < n; i++) {
      double beta = m.betaMin() / n + (n > 1 ? i * (m.betaMax() / n - m.betaMin() / n) / (n - 1) : 0);
      alphaBar *= 1 - (float) beta;
      out[i] = (float) Math.sqrt(1 - (float) alphaBar);
    }
    return out;
  }
}
