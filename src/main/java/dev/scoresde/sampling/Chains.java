package dev.scoresde.sampling;

import dev.scoresde.sde.LinearBetaSchedule;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;

/**
 * The same continuous SDE with a discrete chain of another number of levels N. The discrete-chain
 * predictors (reverse diffusion, ancestral) and the Langevin α_i step through the chain's levels, so a
 * sampler asked for n steps samples the chain with N = n levels: the reference code's num_scales.
 */
final class Chains {
  private Chains() {}

  /** {@code sde} with N = levels; SDEs other than the paper's three are returned unchanged. */
  static Sde withLevels(Sde sde, int levels) {
    if (sde.steps() == levels) {
      return sde;
    }
    if (sde instanceof VeSde ve) {
      return new VeSde(ve.sigmaMin(), ve.sigmaMax(), levels);
    }
    if (sde instanceof VpSde vp) {
      return new VpSde(relevel(vp.schedule(), levels));
    }
    if (sde instanceof SubVpSde sub) {
      return new SubVpSde(relevel(sub.schedule(), levels));
    }
    return sde;
  }

  private static LinearBetaSchedule relevel(LinearBetaSchedule s, int levels) {
    return new LinearBetaSchedule(s.betaMin(), s.betaMax(), levels);
  }
}
