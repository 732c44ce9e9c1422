package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.fast.Ddim;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.sampling.fast.Heun;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;

/**
 * Everything that picks and tunes a sampler, by the API's names, validated on construction.
 *
 * @param sampler pc, ode, a predictor-only sampler (euler-maruyama, reverse-diffusion, ancestral) or a fast
 *     solver (dpm-solver++2m, dpm-solver++3m, sde-dpm-solver++2m, heun, ddim)
 * @param predictor the PC predictor (for a predictor-only sampler: its own predictor)
 * @param corrector the PC corrector (none for a predictor-only sampler)
 * @param steps the PC samplers: N, the number of predictor steps (noise levels); the fast solvers: solver
 *     steps, each one score evaluation (Heun: two), plus one for TWEEDIE or MEAN denoising
 * @param snr the corrector's signal-to-noise ratio r (paper: 0.16)
 * @param correctorSteps M, corrector steps per noise level (paper: 1)
 * @param stepSizeScope per-row (default, batch-independent) or batch-mean Langevin step sizes
 * @param order corrector first (the reference code, default) or predictor first (Algorithm 1)
 * @param denoising final noise removal (reference default: the last step's mean)
 * @param rtol the ODE solver's relative tolerance (paper: 1e-5)
 * @param atol the ODE solver's absolute tolerance (paper: 1e-5)
 * @param eps ε, where sampling stops (paper: 1e-5 VE, 1e-3 VP and sub-VP)
 * @param timeGrid the fast solvers' time grid (null: the sampler's default); the others walk a uniform grid
 * @param eta DDIM's η in [0, 1] (0: deterministic); ddim only
 * @param churn Heun's S_churn in [0, {@value #MAX_CHURN}] (0: deterministic); heun only
 * @param temperature τ in (0, {@value #MAX_TEMPERATURE}]: the start is x_T = τ·(prior draw), see {@link #drawPrior}
 */
public record SamplerSettings(SamplerKind sampler, PredictorKind predictor, CorrectorKind corrector, int steps,
    double snr, int correctorSteps, StepSizeScope stepSizeScope, PcSampler.Order order, Denoising denoising,
    double rtol, double atol, double eps, TimeGridKind timeGrid, double eta, double churn, double temperature) {

  public static final int MAX_STEPS = 10_000;
  public static final int MAX_CORRECTOR_STEPS = 100;
  public static final double MAX_SNR = 10;
  /** Tolerances below float32 resolution cannot be met by the solver. */
  public static final double MIN_TOLERANCE = 1e-7;
  /** EDM's largest tuned S_churn is 80. */
  public static final double MAX_CHURN = 100;
  public static final double MAX_TEMPERATURE = 2;

  public SamplerSettings {
    if (sampler == null || predictor == null || corrector == null || stepSizeScope == null || order == null
        || denoising == null) {
      throw new IllegalArgumentException("sampler, predictor, corrector, step size scope, order and denoising must be given");
    }
    timeGrid = timeGrid == null ? sampler.defaultGrid() : timeGrid;
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
    if (!(temperature > 0) || !(temperature <= MAX_TEMPERATURE)) {
      throw new IllegalArgumentException("temperature must be in (0, " + MAX_TEMPERATURE + "], got " + temperature);
    }
    if (!(eta >= 0) || !(eta <= 1)) {
      throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
    }
    if (!(churn >= 0) || !(churn <= MAX_CHURN)) {
      throw new IllegalArgumentException("churn must be in [0, " + MAX_CHURN + "], got " + churn);
    }
    if (eta > 0 && sampler != SamplerKind.DDIM) {
      throw new IllegalArgumentException("eta applies to sampler 'ddim' only, not '" + sampler.id() + "'");
    }
    if (churn > 0 && sampler != SamplerKind.HEUN) {
      throw new IllegalArgumentException("churn applies to sampler 'heun' only, not '" + sampler.id() + "'");
    }
    if (!sampler.isFastSolver() && timeGrid != TimeGridKind.UNIFORM) {
      throw new IllegalArgumentException("time grid '" + timeGrid.id() + "' applies to the fast solvers only; sampler '"
          + sampler.id() + "' walks a uniform grid");
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

  /** The settings without the fast solvers' fields: the sampler's default grid, η = 0, no churn, τ = 1. */
  public SamplerSettings(SamplerKind sampler, PredictorKind predictor, CorrectorKind corrector, int steps,
      double snr, int correctorSteps, StepSizeScope stepSizeScope, PcSampler.Order order, Denoising denoising,
      double rtol, double atol, double eps) {
    this(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order, denoising, rtol, atol, eps,
        null, 0, 0, 1);
  }

  /**
   * The paper's settings (Appendix G and the reference configs): VE: reverse diffusion + Langevin,
   * r = 0.16, one corrector step, ε = 1e-5; VP and sub-VP: Euler–Maruyama without corrector, ε = 1e-3;
   * N = 1000, the reference order, the last step's mean as output, ODE tolerances 1e-5, temperature 1.
   */
  public static SamplerSettings defaults(SdeKind kind) {
    boolean ve = kind == SdeKind.VE;
    return new SamplerSettings(SamplerKind.PC, ve ? PredictorKind.REVERSE_DIFFUSION : PredictorKind.EULER_MARUYAMA,
        ve ? CorrectorKind.LANGEVIN : CorrectorKind.NONE, 1000, 0.16, 1, StepSizeScope.PER_ROW,
        PcSampler.Order.CORRECTOR_FIRST, Denoising.MEAN, 1e-5, 1e-5, ve ? 1e-5 : 1e-3);
  }

  /** Throws IllegalArgumentException if these settings do not work with this SDE. */
  public SamplerSettings requireCompatible(SdeKind kind) {
    boolean usesPredictor = sampler == SamplerKind.PC || sampler.predictorOnly() != null;
    if (usesPredictor && predictor == PredictorKind.ANCESTRAL && kind == SdeKind.SUBVP) {
      throw new IllegalArgumentException(
          "ancestral sampling is defined for the ve and vp SDEs only, not subvp; use euler-maruyama or reverse-diffusion");
    }
    return this;
  }

  /** The sampler these settings describe. */
  public Sampler toSampler() {
    return switch (sampler) {
      case ODE -> new ProbabilityFlowSampler(OdeOptions.of(rtol, atol), eps, denoising);
      case DPM_SOLVER_2M -> new DpmSolverPlusPlus(2, false, steps, timeGrid, eps, denoising);
      case DPM_SOLVER_3M -> new DpmSolverPlusPlus(3, false, steps, timeGrid, eps, denoising);
      case SDE_DPM_SOLVER_2M -> new DpmSolverPlusPlus(2, true, steps, timeGrid, eps, denoising);
      case HEUN -> new Heun(steps, timeGrid, eps, denoising, churn);
      case DDIM -> new Ddim(steps, timeGrid, eps, denoising, eta);
      case PC, EULER_MARUYAMA, REVERSE_DIFFUSION, ANCESTRAL -> new PcSampler(predictor.create(),
          corrector.create(snr, correctorSteps, stepSizeScope), steps, eps, order, denoising);
    };
  }

  /**
   * The start state x_T = τ·z, z drawn from the SDE's prior p_T (Song et al. 2021, Appendix I.1: temperature
   * scaling of the prior). Every caller draws the start through this, whatever the sampler.
   *
   * @param shape (batch, ...), batch = rng's rows
   */
  public NDArray drawPrior(Sde sde, NDManager manager, Shape shape, Rng rng) {
    NDArray z = sde.priorSample(manager, shape, rng);
    if (temperature == 1) {
      return z;
    }
    NDArray scaled = Scalars.mul(z, temperature);
    z.close();
    return scaled;
  }

  /**
   * Another sampler; a predictor-only one also sets its predictor and corrector none. The grid becomes the
   * new sampler's default; η and churn are kept only where the new sampler uses them.
   */
  public SamplerSettings withSampler(SamplerKind kind) {
    PredictorKind only = kind.predictorOnly();
    return new SamplerSettings(kind, only != null ? only : predictor, only != null ? CorrectorKind.NONE : corrector,
        steps, snr, correctorSteps, stepSizeScope, order, denoising, rtol, atol, eps, kind.defaultGrid(),
        kind == SamplerKind.DDIM ? eta : 0, kind == SamplerKind.HEUN ? churn : 0, temperature);
  }

  public SamplerSettings withPredictor(PredictorKind p) {
    return new SamplerSettings(sampler, p, corrector, steps, snr, correctorSteps, stepSizeScope, order, denoising,
        rtol, atol, eps, timeGrid, eta, churn, temperature);
  }

  public SamplerSettings withCorrector(CorrectorKind c) {
    return new SamplerSettings(sampler, predictor, c, steps, snr, correctorSteps, stepSizeScope, order, denoising,
        rtol, atol, eps, timeGrid, eta, churn, temperature);
  }

  public SamplerSettings withSteps(int n) {
    return new SamplerSettings(sampler, predictor, corrector, n, snr, correctorSteps, stepSizeScope, order, denoising,
        rtol, atol, eps, timeGrid, eta, churn, temperature);
  }

  public SamplerSettings withCorrection(double r, int m, StepSizeScope scope) {
    return new SamplerSettings(sampler, predictor, corrector, steps, r, m, scope, order, denoising, rtol, atol, eps,
        timeGrid, eta, churn, temperature);
  }

  public SamplerSettings withOrder(PcSampler.Order o) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, o, denoising,
        rtol, atol, eps, timeGrid, eta, churn, temperature);
  }

  public SamplerSettings withDenoising(Denoising d) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order, d,
        rtol, atol, eps, timeGrid, eta, churn, temperature);
  }

  public SamplerSettings withTolerances(double r, double a) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order,
        denoising, r, a, eps, timeGrid, eta, churn, temperature);
  }

  public SamplerSettings withEps(double e) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order,
        denoising, rtol, atol, e, timeGrid, eta, churn, temperature);
  }

  public SamplerSettings withTimeGrid(TimeGridKind g) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order,
        denoising, rtol, atol, eps, g, eta, churn, temperature);
  }

  public SamplerSettings withEta(double e) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order,
        denoising, rtol, atol, eps, timeGrid, e, churn, temperature);
  }

  public SamplerSettings withChurn(double c) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order,
        denoising, rtol, atol, eps, timeGrid, eta, c, temperature);
  }

  public SamplerSettings withTemperature(double tau) {
    return new SamplerSettings(sampler, predictor, corrector, steps, snr, correctorSteps, stepSizeScope, order,
        denoising, rtol, atol, eps, timeGrid, eta, churn, tau);
  }
}
