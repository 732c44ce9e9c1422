package dev.scoresde.sampling.settings;

import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.PcSampler;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.StepSizeScope;
import dev.scoresde.sde.SdeKind;

/**
 * The predictor-corrector sampler (Song et al. 2021, Algorithm 1), or a predictor-only one (euler-maruyama,
 * reverse-diffusion, ancestral: the PC sampler without corrector).
 *
 * @param kind pc, or the predictor-only sampler of {@code predictor}
 * @param predictor the predictor (for a predictor-only sampler: its own)
 * @param corrector the corrector (none for a predictor-only sampler)
 * @param steps N, the number of predictor steps (noise levels)
 * @param snr the corrector's signal-to-noise ratio r (paper: 0.16)
 * @param correctorSteps M, corrector steps per noise level (paper: 1)
 * @param stepSizeScope per-row (default, batch-independent) or batch-mean Langevin step sizes
 * @param order corrector first (the reference code, default) or predictor first (Algorithm 1)
 */
public record PcSettings(SamplerKind kind, PredictorKind predictor, CorrectorKind corrector, int steps, double snr,
    int correctorSteps, StepSizeScope stepSizeScope, PcSampler.Order order, Endpoints endpoints)
    implements SamplerSettings {

  public static final int MAX_CORRECTOR_STEPS = 100;
  public static final double MAX_SNR = 10;
  /** The paper's N. */
  public static final int PAPER_STEPS = 1000;

  public PcSettings {
    if (kind == null || predictor == null || corrector == null || stepSizeScope == null || order == null
        || endpoints == null) {
      throw new IllegalArgumentException("sampler, predictor, corrector, step size scope, order and endpoints must be given");
    }
    if (!kind.isPc()) {
      throw new IllegalArgumentException("sampler '" + kind.id() + "' is not a PC sampler");
    }
    SamplerSettings.requireSteps(steps);
    if (!(snr > 0) || !(snr <= MAX_SNR)) {
      throw new IllegalArgumentException("snr must be in (0, " + MAX_SNR + "], got " + snr);
    }
    if (correctorSteps < 1 || correctorSteps > MAX_CORRECTOR_STEPS) {
      throw new IllegalArgumentException(
          "corrector steps must be between 1 and " + MAX_CORRECTOR_STEPS + ", got " + correctorSteps);
    }
    requirePair(kind, predictor, corrector);
  }

  /**
   * The paper's settings (Appendix G and the reference configs): VE: reverse diffusion + Langevin, r = 0.16,
   * one corrector step; VP and sub-VP: Euler–Maruyama without corrector; N = 1000, the reference order,
   * {@link Endpoints#paper}.
   */
  public static PcSettings paper(SdeKind kind) {
    boolean ve = kind == SdeKind.VE;
    return new PcSettings(SamplerKind.PC, ve ? PredictorKind.REVERSE_DIFFUSION : PredictorKind.EULER_MARUYAMA,
        ve ? CorrectorKind.LANGEVIN : CorrectorKind.NONE, PAPER_STEPS, 0.16, 1, StepSizeScope.PER_ROW,
        PcSampler.Order.CORRECTOR_FIRST, Endpoints.paper(kind));
  }

  /** Throws IllegalArgumentException unless {@code kind} can run this predictor with this corrector. */
  static void requirePair(SamplerKind kind, PredictorKind predictor, CorrectorKind corrector) {
    PredictorKind only = kind.predictorOnly();
    if (only != null && (predictor != only || corrector != CorrectorKind.NONE)) {
      throw new IllegalArgumentException("sampler '" + kind.id() + "' runs the " + only.id()
          + " predictor alone; use sampler 'pc' to combine predictor " + predictor.id() + " with corrector "
          + corrector.id());
    }
    if (kind == SamplerKind.PC && predictor == PredictorKind.NONE && corrector == CorrectorKind.NONE) {
      throw new IllegalArgumentException("sampler 'pc' needs a predictor or a corrector (both are none)");
    }
  }

  /** The same chain with N = {@code n}. */
  public PcSettings withSteps(int n) {
    return new PcSettings(kind, predictor, corrector, n, snr, correctorSteps, stepSizeScope, order, endpoints);
  }

  /** The predictor-only sampler of this predictor: the same settings without corrector. */
  public PcSettings predictorAlone() {
    return new PcSettings(SamplerKind.alone(predictor), predictor, CorrectorKind.NONE, steps, snr, correctorSteps,
        stepSizeScope, order, endpoints);
  }

  @Override
  public SamplerSettings requireCompatible(SdeKind kind) {
    if (predictor == PredictorKind.ANCESTRAL && kind == SdeKind.SUBVP) {
      throw new IllegalArgumentException(
          "ancestral sampling is defined for the ve and vp SDEs only, not subvp; use euler-maruyama or reverse-diffusion");
    }
    return this;
  }

  /** Batch-mean Langevin step sizes ({@link StepSizeScope#BATCH}) couple the rows. */
  @Override
  public boolean couplesRows() {
    return corrector == CorrectorKind.LANGEVIN && stepSizeScope == StepSizeScope.BATCH;
  }

  @Override
  public Sampler toSampler() {
    return new PcSampler(predictor.create(), corrector.create(snr, correctorSteps, stepSizeScope), steps,
        endpoints.eps(), order, endpoints.denoising());
  }
}
