package dev.scoresde.sampling.settings;

import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.fast.Ddim;
import dev.scoresde.sampling.fast.TimeGridKind;

/**
 * DDIM (Song et al. 2021a), deterministic or stochastic.
 *
 * @param steps solver steps, each one score evaluation, plus one for TWEEDIE or MEAN denoising
 * @param timeGrid where the steps fall (null: quadratic, the sampler's default)
 * @param eta η in [0, 1] (0: deterministic, 1: ancestral-like)
 */
public record DdimSettings(int steps, TimeGridKind timeGrid, double eta, Endpoints endpoints)
    implements SamplerSettings {

  /** η = 1: DDPM's ancestral noise level. */
  public static final int MAX_ETA = 1;

  public DdimSettings {
    timeGrid = SamplerSettings.solverGrid(SamplerKind.DDIM, steps, timeGrid, endpoints);
    SamplerSettings.requireIn("eta", eta, MAX_ETA);
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.DDIM;
  }

  @Override
  public Sampler toSampler() {
    return new Ddim(steps, timeGrid, endpoints.eps(), endpoints.denoising(), eta);
  }
}
