package dev.scoresde.sampling.settings;

import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.fast.Heun;
import dev.scoresde.sampling.fast.TimeGridKind;

/**
 * Heun's second-order sampler (Karras et al. 2022, Algorithm 1, or Algorithm 2 with churn).
 *
 * @param steps solver steps, two score evaluations each, plus one for TWEEDIE or MEAN denoising
 * @param timeGrid where the steps fall (null: karras, the sampler's default)
 * @param churn S_churn in [0, {@value #MAX_CHURN}] (0: deterministic)
 */
public record HeunSettings(int steps, TimeGridKind timeGrid, double churn, Endpoints endpoints)
    implements SamplerSettings {

  /** EDM's largest tuned S_churn is 80. */
  public static final double MAX_CHURN = 100;

  public HeunSettings {
    timeGrid = SamplerSettings.solverGrid(SamplerKind.HEUN, steps, timeGrid, endpoints);
    SamplerSettings.requireIn("churn", churn, MAX_CHURN);
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.HEUN;
  }

  @Override
  public Sampler toSampler() {
    return new Heun(steps, timeGrid, endpoints.eps(), endpoints.denoising(), churn);
  }
}
