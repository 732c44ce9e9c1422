package dev.scoresde.sampling;

import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.sde.SdeKind;

/**
 * Everything that picks and tunes a sampler, by the API's names, validated on construction.
 *
 * @param sampler pc, ode, or a predictor-only sampler (euler-maruyama, reverse-diffusion, ancestral)
 * @param predictor the PC predictor (for a predictor-only sampler: its own predictor)
 * @param corrector the PC corrector (none for a predictor-only sampler)
 * @param steps N, the number of predictor steps (noise levels) of the PC samplers
 * @param snr the corrector's signal-to-noise ratio r (paper: 0.16)
 * @param correctorSteps M, corrector steps per noise level (paper: 1)
 * @param stepSizeScope per-row (default, batch-independent) or batch-mean Langevin step sizes
 * @param order corrector first (the reference code, default) or predictor first (Algorithm 1)
 * @param denoising final noise removal (reference default: the last step's mean)
 * @param rtol the ODE solver's relative tolerance (paper: 1e-5)
 * @param atol the ODE solver's absolute tolerance (paper: 1e-5)
 * @param eps ε, where sampling stops (paper: 1e-5 VE, 1e-3 VP and sub-VP)
 */
public record SamplerSettings(SamplerKind sampler, PredictorKind predictor, CorrectorKind corrector, int steps,
    double snr, int correctorSteps, StepSizeScope stepSizeScope, PcSampler.Order order, Denoising denoising,
    double rtol, double atol, double eps) {

  public static final int MAX_STEPS = 10_000;
  public static final int MAX_CORRECTOR_STEPS = 100;
  public static final double MAX_SNR = 10;
  /** Tolerances below float32 resolution cannot be met by the solver. */
  public static final double MIN_TOLERANCE = 1e-7;

  public SamplerSettings {
    if (sampler == null || predictor == null || corrector == null || stepSizeScope == null || order == null
        || denoising == null) {
      throw new IllegalArgumentException("sampler, predictor, corrector, step size scope, order and denoising must be given");
    }
    if (steps < 2 || steps > MAX_STEPS) {
      throw new IllegalArgumentException("steps must be between 2 and " + MAX_STEPS + ", got " + steps);
    }
    if (!(snr > 0) || !(snr <= MAX_SNR)) {
      throw new IllegalArgumentException("snr must be in (0, " + MAX_SNR + "], got " + snr);
    }
    if (correctorSteps < 1 || correctorSteps > MAX_CORRECTOR_STEPS) {
      throw new IllegalArgumentException(
          "corrector steps must be between 1 and " + MAX_CORRECTOR_STEPS + ", got " + correctorSteps);
    }
    if (!(rtol >= MIN_TOLERANCE) || !(rtol < 1) || !(atol >= MIN_TOLERANCE) || !(atol < 1)) {
      throw new IllegalArgumentException(
          "rtol and atol must be in [" + MIN_TOLERANCE + ", 1), got rtol " + rtol + ", atol " + atol);
    }
    if (!(eps > 0) || !(eps < 1)) {
      throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
    }
    PredictorKind only = sampler.predictorOnly();
    if (only != null && (predictor != only || corrector != CorrectorKind.NONE)) {
      throw new IllegalArgumentException("sampler '" + sampler.id() + "' runs the " + only.id()
          + " predictor alone; use sampler 'pc' to combine predictor " + predictor.id() + " with corrector "
          + corrector.id());
    }
    if (sampler == SamplerKind.PC && predictor == PredictorKind.NONE && corrector == CorrectorKind.NONE) {
      throw new IllegalArgumentException("sampler 'pc' needs a predictor or a corrector (both are none)");
    }
  }

  /**
   * The paper's settings (Appendix G and the reference configs): VE: reverse diffusion + Langevin,
   * r = 0.16, one corrector step, ε = 1e-5; VP and sub-VP: Euler–Maruyama without corrector, ε = 1e-3;
   * N = 1000, the reference order, the last step's mean as output, ODE tolerances 1e-5.
   */
  public static SamplerSettings defaults(SdeKind kind) {
    boolean ve = kind == SdeKind.VE;
    return new SamplerSettings(SamplerKind.PC, ve ? PredictorKind.REVERSE_DIFFUSION : PredictorKind.EULER_MARUYAMA,
        ve ? CorrectorKind.LANGEVIN : CorrectorKind.NONE, 1000, 0.16, 1, StepSizeScope.PER_ROW,
        PcSampler.Order.CORRECTOR_FIRST, Denoising.MEAN, 1e-5, 1e-5, ve ? 1e-5 : 1e-3);
  }

  /** Throws IllegalArgumentException if these settings do not work with this SDE. */
  public SamplerSettings requireCompatible(SdeKind kind) {
    boolean usesPredictor = sampler != SamplerKind.ODE;
    if (usesPredictor && predictor == PredictorKind.ANCESTRAL && kind == SdeKind.SUBVP) {
      throw new IllegalArgumentException(
          "ancestral sampling is defined for the ve and vp SDEs only, not subvp; use euler-maruyama or reverse-diffusion");
    }
    return this;
  }

  /** The sampler these settings describe. */
  public Sampler toSampler() {
    if (sampler == SamplerKind.ODE) {
      return new ProbabilityFlowSampler(OdeOptions.of(rtol, atol), eps, denoising);
    }
    return new PcSampler(predictor.create(), corrector.create(snr, correctorSteps, stepSizeScope), steps, eps, order,
        denoising);
  }

  /** Another sampler; a predictor-only one also sets its predictor and corrector none. */
  public SamplerSettings withSampler(SamplerKind kind) {
    PredictorKind only = kind.predictorOnly();
    return new SamplerSettings(kind, only != null ? only : predictor, only != null ? CorrectorKind.NONE : corrector,
        steps, snr, correctorSteps, stepSizeScope, order, denoising, rtol, atol, eps);
  }

  public SamplerSettings withPredictor(PredictorKind p) {
    return new SamplerSettings(sampler, p, corrector, steps, snr, correctorSteps, stepSizeScope, order, denoising,
        rtol, atol, eps);
  }

  public SamplerSettings withCorrector(CorrectorKind c) {
    return new SamplerSettings(sampler, predictor, c, steps, snr, correctorSteps, stepSizeScope, order, denoising,
        rtol, atol, eps);
  }

  public SamplerSettings withSteps(int n) {
    return new SamplerSettings(sampler, predictor, corrector, n, snr, correctorSteps, stepSizeScope, order, denoising,
        rtol, atol, eps);
  }

  public SamplerSettings withCorrection(double r, int m, StepSizeScope scope) {
    return new SamplerSettings(sampler, predictor, corrector, steps, r, m, scope, order, denoising, rtol, atol, eps);
  }

  public SamplerSettings withOrder(PcSampler.Order o) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, o, denoising,
        rtol, atol, eps);
  }

  public SamplerSettings withDenoising(Denoising d) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order, d,
        rtol, atol, eps);
  }

  public SamplerSettings withTolerances(double r, double a) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order,
        denoising, r, a, eps);
  }

  public SamplerSettings withEps(double e) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order,
        denoising, rtol, atol, e);
  }
}
