package dev.scoresde.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.SamplerKind;
import dev.scoresde.sampling.SamplerSettings;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.tensor.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * The sampler parameters of a request, as the API names them, and the ONE place they become
 * {@link SamplerSettings}; unset fields keep the paper's defaults for the model's SDE. New sampler kinds
 * appear in {@link #samplers()} by themselves.
 *
 * @param sampler pc, ode, euler-maruyama, reverse-diffusion, ancestral (and any later {@link SamplerKind})
 * @param steps N, the predictor steps of the PC samplers
 * @param predictor the PC sampler's predictor
 * @param corrector the PC sampler's corrector (none, langevin, annealed-langevin)
 * @param snr the corrector's signal-to-noise ratio
 * @param correctorSteps corrector steps per noise level
 * @param rtol the ODE sampler's relative tolerance
 * @param atol the ODE sampler's absolute tolerance
 * @param temperature scale of the prior draw x(T), in (0, 2]; 1 samples the model's distribution
 */
public record SamplerRequest(String sampler, Integer steps, String predictor, String corrector, Double snr,
    Integer correctorSteps, Double rtol, Double atol, Double temperature) {

  public static final double MAX_TEMPERATURE = 2.0;

  public static SamplerRequest defaults() {
    return new SamplerRequest(null, null, null, null, null, null, null, null, null);
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

  /** Validated settings for a model with this SDE; every mistake names its parameter. */
  public SamplerSettings toSettings(SdeKind kind, ServeProperties props) {
    ServeProperties.Limits limits = props.limits();
    SamplerSettings base = SamplerSettings.defaults(kind);
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
    int n = Check.range("steps", steps, Math.min(props.defaultSteps(), limits.maxSteps()), 2, limits.maxSteps());
    double r = Check.range("snr", snr, base.snr(), 0, limits.maxSnr(), false);
    int m = Check.range("correctorSteps", correctorSteps, base.correctorSteps(), 1,
        SamplerSettings.MAX_CORRECTOR_STEPS);
    double rt = Check.range("rtol", rtol, base.rtol(), SamplerSettings.MIN_TOLERANCE, 0.5, true);
    double at = Check.range("atol", atol, base.atol(), SamplerSettings.MIN_TOLERANCE, 0.5, true);
    validTemperature();
    SamplerSettings sized = base;
    return parse("sampler", () -> sized.withSteps(n).withCorrection(r, m, sized.stepSizeScope())
        .withTolerances(rt, at).requireCompatible(kind));
  }

  /** The validated temperature (default 1). */
  public double validTemperature() {
    return Check.range("temperature", temperature, 1.0, 0, MAX_TEMPERATURE, false);
  }

  /**
   * The start state x(T) ~ N(0, (τ·σ_T)² I) for temperature τ, one stream per row.
   * TODO(lead): when SamplerSettings carries its own {@code temperature}, pass it there and drop this scaling.
   */
  public static NDArray prior(Sde sde, NDManager manager, Shape shape, Rng rng, double temperature) {
    NDArray x = sde.priorSample(manager, shape, rng);
    return temperature == 1.0 ? x : x.mul(temperature);
  }

  private static <T> T parse(String field, java.util.function.Supplier<T> p) {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field, e.getMessage());
    }
  }
}
