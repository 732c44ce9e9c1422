package dev.scoresde.checkpoint;

import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;

/**
 * An SDE by kind and parameters, as stored in {@code model.json}: σ_min, σ_max for VE; β_min, β_max for
 * VP and sub-VP (null where unused); N the number of discretization steps.
 */
public record SdeSpec(String kind, Double sigmaMin, Double sigmaMax, Double betaMin, Double betaMax, int steps) {

  public static SdeSpec ve(double sigmaMin, double sigmaMax, int steps) {
    return new SdeSpec(SdeKind.VE.id(), sigmaMin, sigmaMax, null, null, steps);
  }

  public static SdeSpec vp(double betaMin, double betaMax, int steps) {
    return new SdeSpec(SdeKind.VP.id(), null, null, betaMin, betaMax, steps);
  }

  public static SdeSpec subVp(double betaMin, double betaMax, int steps) {
    return new SdeSpec(SdeKind.SUBVP.id(), null, null, betaMin, betaMax, steps);
  }

  public static SdeSpec of(Sde sde) {
    if (sde instanceof VeSde ve) {
      return ve(ve.sigmaMin(), ve.sigmaMax(), ve.steps());
    } else if (sde instanceof VpSde vp) {
      return vp(vp.schedule().betaMin(), vp.schedule().betaMax(), vp.steps());
    } else if (sde instanceof SubVpSde s) {
      return subVp(s.schedule().betaMin(), s.schedule().betaMax(), s.steps());
    }
    throw new IllegalArgumentException("no spec for SDE " + sde);
  }

  /** The SDE; throws IllegalArgumentException with the missing parameter's name. */
  public Sde toSde() {
    SdeKind k = SdeKind.parse(kind);
    return switch (k) {
      case VE -> new VeSde(need(sigmaMin, "sigma-min"), need(sigmaMax, "sigma-max"), steps);
      case VP -> new VpSde(need(betaMin, "beta-min"), need(betaMax, "beta-max"), steps);
      case SUBVP -> new SubVpSde(need(betaMin, "beta-min"), need(betaMax, "beta-max"), steps);
    };
  }

  private double need(Double v, String name) {
    if (v == null) {
      throw new IllegalArgumentException("the " + kind + " SDE needs " + name);
    }
    return v;
  }
}
