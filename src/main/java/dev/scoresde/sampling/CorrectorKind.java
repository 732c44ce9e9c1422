package dev.scoresde.sampling;

import dev.scoresde.names.Names;
import java.util.List;

/** The correctors by the names the API uses. */
public enum CorrectorKind implements Names.Named {
  LANGEVIN("langevin"),
  ANNEALED_LANGEVIN("annealed-langevin", "ald"),
  NONE("none");

  private final List<String> names;

  CorrectorKind(String... names) {
    this.names = List.of(names);
  }

  @Override
  public List<String> names() {
    return names;
  }

  /** The corrector with signal-to-noise ratio {@code snr} and {@code steps} MCMC steps per level. */
  public Corrector create(double snr, int steps, StepSizeScope scope) {
    return switch (this) {
      case LANGEVIN -> new LangevinCorrector(snr, steps, scope);
      case ANNEALED_LANGEVIN -> new AnnealedLangevinCorrector(snr, steps);
      case NONE -> new NoneCorrector();
    };
  }

  public static CorrectorKind parse(String name) {
    return Names.parse("corrector", name, values());
  }
}
