package dev.scoresde.sampling.settings;

import static dev.scoresde.sampling.settings.FieldCheck.named;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sde.SdeKind;

/**
 * A sampler's settings by the names the API uses (and the command lines), every field optional, and the one
 * place those names become {@link SamplerSettings} ({@link #toSettings}). A field left out keeps the base
 * settings' value (a model's defaults) where the base has it, else the chosen sampler's default; steps, the time
 * grid, η and churn always start from the chosen sampler's defaults. Every mistake names its field
 * ({@link InvalidFieldException}).
 *
 * @param sampler pc, ode, euler-maruyama, reverse-diffusion, ancestral, dpm-solver++2m, dpm-solver++3m,
 *     sde-dpm-solver++2m, unipc, unipc-3m, heun, ddim ({@link SamplerKind})
 * @param predictor the PC sampler's predictor
 * @param corrector the PC sampler's corrector (none, langevin, annealed-langevin)
 * @param steps N, the predictor steps of the PC samplers; the fast solvers' solver steps
 * @param snr the corrector's signal-to-noise ratio
 * @param correctorSteps corrector steps per noise level
 * @param rtol the ODE sampler's relative tolerance
 * @param atol the ODE sampler's absolute tolerance
 * @param eps ε, where sampling stops (command lines; the API shows it among a model's defaults)
 * @param timeGrid the fast solvers' time grid (uniform, quadratic, log-snr, karras); default per solver
 * @param eta DDIM's η in [0, 1] (ddim only)
 * @param churn Heun's S_churn in [0, {@value HeunSettings#MAX_CHURN}] (heun only)
 * @param temperature scale τ of the prior draw x(T), in (0, {@value Endpoints#MAX_TEMPERATURE}]
 * @param denoising none, mean or tweedie (command lines)
 */
@JsonInclude(JsonInclude.Include.NON_NULL) // as JSON (results, model defaults, shard manifests): the fields set
public record SamplerFields(String sampler, String predictor, String corrector, Integer steps, Double snr,
    Integer correctorSteps, Double rtol, Double atol, Double eps, String timeGrid, Double eta, Double churn,
    Double temperature, String denoising) {

  /** No field set: the base settings, with the chosen sampler's default steps. */
  public static final SamplerFields NONE = of(null, null);

  /**
   * What the caller allows and defaults to.
   *
   * @param maxSteps the most steps
   * @param maxSnr the largest signal-to-noise ratio
   * @param paperSteps steps of the paper's samplers when unset
   * @param fastSolverSteps steps of a fast solver when unset
   */
  public record Limits(int maxSteps, double maxSnr, int paperSteps, int fastSolverSteps) {
    /** The settings' own bounds and N = 1000 for every sampler (the command lines). */
    public static final Limits SETTINGS = new Limits(SamplerSettings.MAX_STEPS, PcSettings.MAX_SNR,
        PcSettings.PAPER_STEPS, PcSettings.PAPER_STEPS);

    int steps(SamplerKind kind) {
      return Math.min(kind.isFastSolver() ? fastSolverSteps : paperSteps, maxSteps);
    }
  }

  /** The named sampler (null: the base's) with {@code steps} steps (null: its default), the rest unset. */
  public static SamplerFields of(String sampler, Integer steps) {
    return new SamplerFields(sampler, null, null, steps, null, null, null, null, null, null, null, null, null, null);
  }

  /** Settings over the paper's defaults for this SDE ({@link PcSettings#paper}), within {@link Limits#SETTINGS}. */
  public SamplerSettings toSettings(SdeKind sde) {
    return toSettings(SamplerSettings.defaults(sde), sde, Limits.SETTINGS);
  }

  /**
   * Validated settings for a model with this SDE: these fields over {@code base}. Fields are checked in the
   * order sampler, predictor, corrector, timeGrid, eta, churn, temperature, steps, snr, correctorSteps, rtol,
   * atol, eps, denoising, and last the settings as a whole (reported as the sampler's mistake).
   */
  public SamplerSettings toSettings(SamplerSettings base, SdeKind sde, Limits limits) {
    SamplerKind kind = sampler == null ? base.kind() : named("sampler", () -> SamplerKind.parse(sampler));
    PcSettings pc = base instanceof PcSettings p ? p : PcSettings.paper(sde);
    PredictorKind only = kind.predictorOnly();
    PredictorKind p = predictor == null ? (only != null ? only : pc.predictor())
        : named("predictor", () -> PredictorKind.parse(predictor));
    CorrectorKind before = only != null ? CorrectorKind.NONE : pc.corrector();
    if (predictor != null && kind.isPc()) {
      named("predictor", () -> pair(kind, p, before));
    }
    CorrectorKind c = corrector == null ? before : named("corrector", () -> CorrectorKind.parse(corrector));
    if (corrector != null && kind.isPc()) {
      named("corrector", () -> pair(kind, p, c));
    }
    TimeGridKind g = timeGrid == null ? kind.defaultGrid() : named("timeGrid", () -> TimeGridKind.parse(timeGrid));
    if (!kind.isFastSolver() && g != TimeGridKind.UNIFORM) {
      throw new InvalidFieldException("timeGrid", "time grid '" + g.id() + "' applies to the fast solvers only; "
          + "sampler '" + kind.id() + "' walks a uniform grid");
    }
    double e = eta == null ? 0 : named("eta", () -> SamplerSettings.requireIn("eta", eta, DdimSettings.MAX_ETA));
    only("eta", e > 0, kind, SamplerKind.DDIM);
    double ch = churn == null ? 0 : named("churn", () -> SamplerSettings.requireIn("churn", churn, HeunSettings.MAX_CHURN));
    only("churn", ch > 0, kind, SamplerKind.HEUN);
    Endpoints was = base.endpoints();
    double tau = FieldCheck.range("temperature", temperature, was.temperature(), 0, Endpoints.MAX_TEMPERATURE, false);
    int n = FieldCheck.range("steps", steps, limits.steps(kind), 2, limits.maxSteps());
    double r = FieldCheck.range("snr", snr, pc.snr(), 0, limits.maxSnr(), false);
    int m = FieldCheck.range("correctorSteps", correctorSteps, pc.correctorSteps(), 1, PcSettings.MAX_CORRECTOR_STEPS);
    ProbabilityFlowSettings flow = base instanceof ProbabilityFlowSettings f ? f : null;
    double rt = FieldCheck.range("rtol", rtol, flow != null ? flow.rtol() : ProbabilityFlowSettings.PAPER_TOLERANCE,
        ProbabilityFlowSettings.MIN_TOLERANCE, 0.5, true);
    double at = FieldCheck.range("atol", atol, flow != null ? flow.atol() : ProbabilityFlowSettings.PAPER_TOLERANCE,
        ProbabilityFlowSettings.MIN_TOLERANCE, 0.5, true);
    Endpoints ends = named("eps", () -> new Endpoints(eps == null ? was.eps() : eps, tau,
        denoising == null ? was.denoising() : named("denoising", () -> Denoising.parse(denoising))));
    SamplerSettings s = named("sampler", () -> switch (kind) {
      case PC, EULER_MARUYAMA, REVERSE_DIFFUSION, ANCESTRAL ->
          new PcSettings(kind, p, c, n, r, m, pc.stepSizeScope(), pc.order(), ends);
      case ODE -> new ProbabilityFlowSettings(rt, at, ends);
      case DPM_SOLVER_2M, DPM_SOLVER_3M, SDE_DPM_SOLVER_2M, UNIPC, UNIPC_3M -> new DpmSolverSettings(kind, n, g, ends);
      case HEUN -> new HeunSettings(n, g, ch, ends);
      case DDIM -> new DdimSettings(n, g, e, ends);
    });
    return named("sampler", () -> s.requireCompatible(sde));
  }

  /** Settings by their field names, the one place they are written: the fields their sampler uses, the rest null. */
  public static SamplerFields of(SamplerSettings s) {
    if (s instanceof PcSettings p) {
      return of(s, p.predictor().id(), p.corrector().id(), p.steps(), p.snr(), p.correctorSteps(), null, null, null,
          null, null);
    }
    if (s instanceof ProbabilityFlowSettings f) {
      return of(s, null, null, null, null, null, f.rtol(), f.atol(), null, null, null);
    }
    if (s instanceof DpmSolverSettings d) {
      return of(s, null, null, d.steps(), null, null, null, null, d.timeGrid(), null, null);
    }
    if (s instanceof HeunSettings h) {
      return of(s, null, null, h.steps(), null, null, null, null, h.timeGrid(), null, h.churn());
    }
    DdimSettings d = (DdimSettings) s;
    return of(s, null, null, d.steps(), null, null, null, null, d.timeGrid(), d.eta(), null);
  }

  private static SamplerFields of(SamplerSettings s, String predictor, String corrector, Integer steps, Double snr,
      Integer correctorSteps, Double rtol, Double atol, TimeGridKind grid, Double eta, Double churn) {
    Endpoints e = s.endpoints();
    return new SamplerFields(s.kind().id(), predictor, corrector, steps, snr, correctorSteps, rtol, atol, e.eps(),
        grid == null ? null : grid.id(), eta, churn, e.temperature(), e.denoising().id());
  }

  private static PredictorKind pair(SamplerKind kind, PredictorKind p, CorrectorKind c) {
    PcSettings.requirePair(kind, p, c);
    return p;
  }

  /** A value other than the neutral one of a field that only {@code owner} uses. */
  private static void only(String field, boolean set, SamplerKind kind, SamplerKind owner) {
    if (set && kind != owner) {
      throw new InvalidFieldException(field, field + " applies to sampler '" + owner.id() + "' only, not '"
          + kind.id() + "'");
    }
  }

  /**
   * A model's defaults as GET /v1/models/{name} shows them: the settings' fields (without denoising), and for
   * the fields their sampler does not use the value a request that picks a sampler using it starts from.
   */
  public static SamplerFields describe(SamplerSettings s) {
    SamplerFields f = s.fields();
    double tolerance = ProbabilityFlowSettings.PAPER_TOLERANCE;
    return new SamplerFields(f.sampler, f.predictor, f.corrector, f.steps, f.snr, f.correctorSteps,
        or(f.rtol, tolerance), or(f.atol, tolerance), f.eps, or(f.timeGrid, s.kind().defaultGrid().id()),
        or(f.eta, 0.0), or(f.churn, 0.0), f.temperature, null);
  }

  /**
   * These fields over {@code defaults}, field by field (a field set here wins), when both pick the same sampler
   * or this names none; a request naming another sampler starts afresh from that sampler's own defaults.
   */
  public SamplerFields over(SamplerFields defaults) {
    if (defaults == null || (sampler != null && defaults.sampler != null
        && SamplerKind.parse(sampler) != SamplerKind.parse(defaults.sampler))) {
      return this;
    }
    return new SamplerFields(or(sampler, defaults.sampler), or(predictor, defaults.predictor),
        or(corrector, defaults.corrector), or(steps, defaults.steps), or(snr, defaults.snr),
        or(correctorSteps, defaults.correctorSteps), or(rtol, defaults.rtol), or(atol, defaults.atol),
        or(eps, defaults.eps), or(timeGrid, defaults.timeGrid), or(eta, defaults.eta), or(churn, defaults.churn),
        or(temperature, defaults.temperature), or(denoising, defaults.denoising));
  }

  /** What picks the sampler, as results report it: name, predictor, corrector, steps, snr if asked, grid, η, churn. */
  public SamplerFields choice(boolean withSnr) {
    return new SamplerFields(sampler, predictor, corrector, steps, withSnr ? snr : null, null, null, null, null,
        timeGrid, eta, churn, null, null);
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
