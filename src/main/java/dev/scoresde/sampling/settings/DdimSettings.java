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

  public DdimSettings {
    if (endpoints == null) {
      throw new IllegalArgumentException("endpoints must be given");
    }
    SamplerSettings.requireSteps(steps);
    requireEta(eta);
    timeGrid = timeGrid == null ? SamplerKind.DDIM.defaultGrid() : timeGrid;
  }

  static double requireEta(double eta) {
    if (!(eta >= 0) || !(eta <= 1)) {
      throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
    }
    return eta;
  }

  @Override
  public SamplerKind kind() {
    return SamplerKind.DDIM;
  }

  @Override
  public Sampler toSampler() {
    return new Ddim(steps, timeGrid, endpoints.eps(), endpoints.denoising(), eta);
  }

  @Override
  public SamplerFields fields() {
    return new SamplerFields(kind().id(), null, null, steps, null, null, null, null, endpoints.eps(), timeGrid.id(),
        eta, null, endpoints.temperature(), endpoints.denoising().id());
  }
}
