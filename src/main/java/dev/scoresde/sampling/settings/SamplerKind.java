package dev.scoresde.sampling.settings;

import dev.scoresde.names.Names;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.fast.TimeGridKind;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The samplers by the names the API uses: the PC sampler with a chosen predictor and corrector, the
 * probability-flow ODE sampler, the predictor-only PC samplers by their predictor's name, and the fast
 * solvers (DPM-Solver++, UniPC, Heun, DDIM), which walk a selectable time grid. {@link SamplerFields} maps each to
 * its family's settings record.
 */
public enum SamplerKind implements Names.Named {
  PC("pc", null, null),
  ODE("ode", null, null, "probability-flow"),
  EULER_MARUYAMA("euler-maruyama", PredictorKind.EULER_MARUYAMA, null),
  REVERSE_DIFFUSION("reverse-diffusion", PredictorKind.REVERSE_DIFFUSION, null),
  ANCESTRAL("ancestral", PredictorKind.ANCESTRAL, null),
  /** DPM-Solver++(2M), Lu et al. 2022b, Algorithm 2. */
  DPM_SOLVER_2M("dpm-solver++2m", null, TimeGridKind.LOG_SNR, "dpmpp-2m", "dpmpp2m", "dpm-solver++-2m"),
  /** The third-order multistep DPM-Solver++. */
  DPM_SOLVER_3M("dpm-solver++3m", null, TimeGridKind.LOG_SNR, "dpmpp-3m", "dpmpp3m", "dpm-solver++-3m"),
  /** SDE-DPM-Solver++(2M): the stochastic second-order option. */
  SDE_DPM_SOLVER_2M("sde-dpm-solver++2m", null, TimeGridKind.LOG_SNR, "sde-dpmpp-2m", "sde-dpmpp2m",
      "sde-dpm-solver++-2m"),
  /** UniPC (Zhao et al. 2023): DPM-Solver++(2M) with the UniC corrector after each step, same NFE. */
  UNIPC("unipc", null, TimeGridKind.LOG_SNR, "unipc-2m", "unipc2m"),
  /** Third-order UniPC: DPM-Solver++(3M) with UniC. */
  UNIPC_3M("unipc-3m", null, TimeGridKind.LOG_SNR, "unipc3m"),
  /** Karras et al. 2022, Algorithm 1 (churn 0) or 2 (churn > 0). */
  HEUN("heun", null, TimeGridKind.KARRAS),
  /** DDIM, deterministic (η = 0) or stochastic (η > 0). */
  DDIM("ddim", null, TimeGridKind.QUADRATIC);

  private final List<String> names;
  private final PredictorKind predictorOnly;
  private final TimeGridKind defaultGrid;

  SamplerKind(String id, PredictorKind predictorOnly, TimeGridKind defaultGrid, String... aliases) {
    this.names = Stream.concat(Stream.of(id), Arrays.stream(aliases)).toList();
    this.predictorOnly = predictorOnly;
    this.defaultGrid = defaultGrid;
  }

  @Override
  public List<String> names() {
    return names;
  }

  /** The predictor of a predictor-only sampler, or null for the others. */
  public PredictorKind predictorOnly() {
    return predictorOnly;
  }

  /** The PC sampler or a predictor-only one (a PC sampler without corrector): {@link PcSettings}. */
  public boolean isPc() {
    return this == PC || predictorOnly != null;
  }

  /** A fast solver: it walks a selectable time grid, and its steps are solver steps. */
  public boolean isFastSolver() {
    return defaultGrid != null;
  }

  /** The grid a sampler walks unless told otherwise (uniform for the paper's samplers). */
  public TimeGridKind defaultGrid() {
    return defaultGrid != null ? defaultGrid : TimeGridKind.UNIFORM;
  }

  /** The predictor-only sampler of {@code predictor}, or null (the none predictor has none). */
  public static SamplerKind alone(PredictorKind predictor) {
    for (SamplerKind k : values()) {
      if (k.predictorOnly == predictor) {
        return k;
      }
    }
    return null;
  }

  public static SamplerKind parse(String name) {
    return Names.parse("sampler", name, values());
  }

  /** The names the API accepts, in declaration order. */
  public static List<String> ids() {
    return Names.ids(values());
  }
}
