package dev.scoresde.sampling;

import java.util.List;

/** The predictors by the names the API uses. */
public enum PredictorKind implements Names.Named {
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

  @Override
  public String id() {
    return id;
  }

  @Override
  public List<String> aliases() {
    return aliases;
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
    return Names.parse("predictor", name, values());
  }
}
