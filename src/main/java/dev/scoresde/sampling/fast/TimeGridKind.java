package dev.scoresde.sampling.fast;

import dev.scoresde.names.Names;
import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.sde.Sde;
import java.util.List;

/**
 * How a fast solver places its n points from T down to ε. Each is t_i = φ(i/(n−1)) for a smooth map φ, so
 * doubling the points halves every step and a solver's error falls at its order.
 */
public enum TimeGridKind implements Names.Named {
  /** Evenly spaced in t (the paper's samplers). */
  UNIFORM("uniform"),
  /** t = ε + (T − ε)(1 − u)²: denser near the data (DDIM's quadratic skip, Song et al. 2021a, Appendix D.2). */
  QUADRATIC("quadratic"),
  /** Evenly spaced in λ = log(α/σ) (DPM-Solver's recommended grid, Lu et al. 2022). */
  LOG_SNR("log-snr"),
  /**
   * σ̃_i = (σ̃_max^{1/ρ} + u (σ̃_min^{1/ρ} − σ̃_max^{1/ρ}))^ρ with ρ = 7 (Karras et al. 2022, Eq. 5), in the
   * noise level σ̃ = σ/α of the scaled state, mapped back to t.
   */
  KARRAS("karras");

  /** EDM's ρ. */
  public static final double RHO = 7;

  private final String id;

  TimeGridKind(String id) {
    this.id = id;
  }

  @Override
  public List<String> names() {
    return this == LOG_SNR ? List.of(id, "logsnr", "log-snr-uniform") : List.of(id);
  }

  /** n ≥ 2 points from sde.endTime() to eps; the end points are exact. */
  public TimeGrid grid(Sde sde, double eps, int n) {
    double end = sde.endTime();
    if (!(eps > 0) || !(eps < end)) {
      throw new IllegalArgumentException("eps " + eps + " must lie in (0, " + end + ")");
    }
    if (n < 2) {
      throw new IllegalArgumentException("a time grid needs at least 2 points, got " + n);
    }
    NoiseLevels levels = new NoiseLevels(sde);
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      double u = i / (double) (n - 1);
      t[i] = switch (this) {
        case UNIFORM -> end + (eps - end) * u;
        case QUADRATIC -> eps + (end - eps) * (1 - u) * (1 - u);
        case LOG_SNR -> levels.timeOfLambda(levels.lambda(end) + u * (levels.lambda(eps) - levels.lambda(end)));
        case KARRAS -> {
          double hi = Math.pow(levels.sigmaTilde(end), 1 / RHO);
          double lo = Math.pow(levels.sigmaTilde(eps), 1 / RHO);
          yield levels.timeOfSigmaTilde(Math.pow(hi + u * (lo - hi), RHO));
        }
      };
    }
    t[0] = end;
    t[n - 1] = eps;
    return new TimeGrid(t);
  }

  public static TimeGridKind parse(String name) {
    return Names.parse("time grid", name, values());
  }
}
