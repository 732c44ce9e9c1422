package dev.scoresde.sampling;

import java.util.Arrays;

/**
 * The samplers by the names the API uses: the PC sampler with a chosen predictor and corrector, the
 * probability-flow ODE sampler, and the predictor-only PC samplers by their predictor's name.
 */
public enum SamplerKind {
  PC("pc", null),
  ODE("ode", null),
  EULER_MARUYAMA("euler-maruyama", PredictorKind.EULER_MARUYAMA),
  REVERSE_DIFFUSION("reverse-diffusion", PredictorKind.REVERSE_DIFFUSION),
  ANCESTRAL("ancestral", PredictorKind.ANCESTRAL);

  private final String id;
  private final PredictorKind predictorOnly;

  SamplerKind(String id, PredictorKind predictorOnly) {
    this.id = id;
    this.predictorOnly = predictorOnly;
  }

  public String id() {
    return id;
  }

  /** The predictor of a predictor-only sampler, or null for "pc" and "ode". */
  public PredictorKind predictorOnly() {
    return predictorOnly;
  }

  public static SamplerKind parse(String name) {
    String n = Names.normalize(name);
    for (SamplerKind k : values()) {
      if (k.id.equals(n)) {
        return k;
      }
    }
    if (n.equals("probability-flow")) {
      return ODE;
    }
    throw new IllegalArgumentException("unknown sampler '" + name + "' (expected one of "
        + Arrays.stream(values()).map(SamplerKind::id).toList() + ")");
  }
}
