package dev.scoresde.serve;

import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.SamplerKind;
import dev.scoresde.sampling.SamplerSettings;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sde.SdeKind;
import java.util.Arrays;
import java.util.List;

/**
 * The sampler parameters of a request, as the API names them, and the ONE place they become
 * {@link SamplerSettings}; unset fields keep the paper's defaults for the model's SDE. New sampler kinds
 * appear in {@link #samplers()} by themselves.
 *
 * @param sampler pc, ode, euler-maruyama, reverse-diffusion, ancestral, dpm-solver++2m, dpm-solver++3m,
 *     sde-dpm-solver++2m, heun, ddim (and any later {@link SamplerKind})
 * @param steps N, the predictor steps of the PC samplers; the fast solvers' solver steps
 * @param predictor the PC sampler's predictor
 * @param corrector the PC sampler's corrector (none, langevin, annealed-langevin)
 * @param snr the corrector's signal-to-noise ratio
 * @param correctorSteps corrector steps per noise level
 * @param rtol the ODE sampler's relative tolerance
 * @param atol the ODE sampler's absolute tolerance
 * @param timeGrid the fast solvers' time grid (uniform, quadratic, log-snr, karras); default per solver
 * @param eta DDIM's η in [0, 1] (ddim only)
 * @param churn Heun's S_churn in [0, {@value SamplerSettings#MAX_CHURN}] (heun only)
 * @param temperature scale τ of the prior draw x(T), in (0, {@value SamplerSettings#MAX_TEMPERATURE}]; 1 samples
 *     the model's distribution
 */
public record SamplerRequest(String sampler, Integer steps, String predictor, String corrector, Double snr,
    Integer correctorSteps, Double rtol, Double atol, String timeGrid, Double eta, Double churn,
    Double temperature) {

  public static final double MAX_TEMPERATURE = SamplerSettings.MAX_TEMPERATURE;

  /** Steps of a fast solver when the request gives none. */
  public static final int FAST_SOLVER_STEPS = 20;

  public static SamplerRequest defaults() {
    return new SamplerRequest(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The names the API accepts for {@code timeGrid}. */
  public static List<String> timeGrids() {
    return Arrays.stream(TimeGridKind.values()).map(TimeGridKind::id).toList();
  }

  /** The names the API accepts for {@code sampler}. */
  public static List<String> samplers() {
    return Arrays.stream(SamplerKind.values()).map(SamplerKind::id).toList();
  }

  public static List<String> predictors() {
    return Arrays.stream(PredictorKind.values()).map(PredictorKind::id).toList();
  }

  public static List<String> correctors() {
    return Arrays.stream(CorrectorKind.values()).map(CorrectorKind::id).toList();
  }

  /** Validated settings for a model with this SDE and the paper's defaults; every mistake names its parameter. */
  public SamplerSettings toSettings(SdeKind kind, ServeProperties props) {
    return toSettings(SamplerSettings.defaults(kind), kind, props);
  }

  /** Validated settings for this model, starting from its {@link ServedModel#samplerDefaults()}. */
  public SamplerSettings toSettings(ServedModel model, ServeProperties props) {
    return toSettings(model.samplerDefaults(), model.sde().kind(), props);
  }

  /**
   * Validated settings: the request's fields over {@code defaults}; every mistake names its parameter (the
   * sampler first, since a new sampler resets the grid, η and churn; then the fields that depend on it).
   */
  public SamplerSettings toSettings(SamplerSettings defaults, SdeKind kind, ServeProperties props) {
    ServeProperties.Limits limits = props.limits();
    SamplerSettings base = defaults;
    if (sampler != null) {
      SamplerKind k = parse("sampler", () -> SamplerKind.parse(sampler));
      base = base.withSampler(k);
    }
    if (predictor != null) {
      PredictorKind p = parse("predictor", () -> PredictorKind.parse(predictor));
      SamplerSettings b = base;
      base = parse("predictor", () -> b.withPredictor(p));
    }
    if (corrector != null) {
      CorrectorKind c = parse("corrector", () -> CorrectorKind.parse(corrector));
      SamplerSettings b = base;
      base = parse("corrector", () -> b.withCorrector(c));
    }
    if (timeGrid != null) {
      TimeGridKind g = parse("timeGrid", () -> TimeGridKind.parse(timeGrid));
      SamplerSettings b = base;
      base = parse("timeGrid", () -> b.withTimeGrid(g));
    }
    if (eta != null) {
      SamplerSettings b = base;
      base = parse("eta", () -> b.withEta(eta));
    }
    if (churn != null) {
      SamplerSettings b = base;
      base = parse("churn", () -> b.withChurn(churn));
    }
    double tau = validTemperature();
    SamplerSettings heated = base;
    base = parse("temperature", () -> heated.withTemperature(tau));
    // The fast solvers reach the paper's PC quality in 15–20 steps (docs/solvers.md); 1000 would waste 50×.
    int defaultSteps = base.sampler().isFastSolver() ? FAST_SOLVER_STEPS : props.defaultSteps();
    int n = Check.range("steps", steps, Math.min(defaultSteps, limits.maxSteps()), 2, limits.maxSteps());
    double r = Check.range("snr", snr, base.snr(), 0, limits.maxSnr(), false);
    int m = Check.range("correctorSteps", correctorSteps, base.correctorSteps(), 1,
        SamplerSettings.MAX_CORRECTOR_STEPS);
    double rt = Check.range("rtol", rtol, base.rtol(), SamplerSettings.MIN_TOLERANCE, 0.5, true);
    double at = Check.range("atol", atol, base.atol(), SamplerSettings.MIN_TOLERANCE, 0.5, true);
    SamplerSettings sized = base;
    return parse("sampler", () -> sized.withSteps(n).withCorrection(r, m, sized.stepSizeScope())
        .withTolerances(rt, at).requireCompatible(kind));
  }

  /** The validated temperature τ (default 1), in SamplerSettings' range (0, MAX_TEMPERATURE]. */
  public double validTemperature() {
    return Check.range("temperature", temperature, 1.0, 0, MAX_TEMPERATURE, false);
  }

  /** Result metadata of the sampler settings: sampler, predictor, corrector, steps, snr if asked, fast-solver fields. */
  static void putSettingsFields(java.util.Map<String, Object> md, SamplerSettings s, boolean withSnr) {
    md.put("sampler", s.sampler().id());
    md.put("predictor", s.predictor().id());
    md.put("corrector", s.corrector().id());
    md.put("steps", s.steps());
    if (withSnr) {
      md.put("snr", s.snr());
    }
    putFastSolverFields(md, s);
  }

  /** Result metadata of a fast solver: its time grid, and η (ddim) or churn (heun). */
  private static void putFastSolverFields(java.util.Map<String, Object> md, SamplerSettings s) {
    if (!s.sampler().isFastSolver()) {
      return;
    }
    md.put("timeGrid", s.timeGrid().id());
    if (s.sampler() == SamplerKind.DDIM) {
      md.put("eta", s.eta());
    }
    if (s.sampler() == SamplerKind.HEUN) {
      md.put("churn", s.churn());
    }
  }

  private static <T> T parse(String field, java.util.function.Supplier<T> p) {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field, e.getMessage());
    }
  }
}
