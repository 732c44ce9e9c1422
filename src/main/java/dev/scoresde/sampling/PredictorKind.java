package dev.scoresde.sampling;

import dev.scoresde.names.Names;
import java.util.List;

/** The predictors by the names the API uses. */
public enum PredictorKind implements Names.Named {
  EULER_MARUYAMA("euler-maruyama", "em"),
  REVERSE_DIFFUSION("reverse-diffusion", "rd"),
  ANCESTRAL("ancestral", "ancestral-sampling"),
  NONE("none");

  private final List<String> names;

  PredictorKind(String... names) {
    this.names = List.of(names);
  }

  @Override
  public List<String> names() {
    return names;
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
