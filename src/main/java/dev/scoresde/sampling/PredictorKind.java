package dev.scoresde.sampling;

import java.util.Arrays;
import java.util.List;

/** The predictors by the names the API uses. */
public enum PredictorKind {
  EULER_MARUYAMA("euler-maruyama", "em"),
  REVERSE_DIFFUSION("reverse-diffusion", "rd"),
  ANCESTRAL("ancestral", "ancestral-sampling"),
  NONE("none");

  private final String id;
  private final List<String> aliases;

  PredictorKind(String id, String... aliases) {
    this.id = id;
    this.aliases = List.of(aliases);
  }

  public String id() {
    return id;
  }

  public Predictor create() {
    return switch (this) {
      case EULER_MARUYAMA -> new EulerMaruyamaPredictor();
      case REVERSE_DIFFUSION -> new ReverseDiffusionPredictor();
      case ANCESTRAL -> new AncestralSamplingPredictor();
      case NONE -> new NonePredictor();
    };
  }

  public static PredictorKind parse(String name) {
    String n = Names.normalize(name);
    for (PredictorKind k : values()) {
      if (k.id.equals(n) || k.aliases.contains(n)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown predictor '" + name + "' (expected one of "
        + Arrays.stream(values()).map(PredictorKind::id).toList() + ")");
  }
}
