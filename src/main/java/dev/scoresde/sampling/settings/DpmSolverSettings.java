package dev.scoresde.sampling.settings;

import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.sampling.fast.TimeGridKind;

/**
 * DPM-Solver++ (Lu et al. 2022b): the second- or third-order multistep solver of the probability flow, or
 * the stochastic second-order SDE-DPM-Solver++(2M); and UniPC (Zhao et al. 2023), the same multistep solvers
 * with the UniC corrector.
 *
 * @param kind dpm-solver++2m, dpm-solver++3m, sde-dpm-solver++2m, unipc or unipc-3m
 * @param steps solver steps, each one score evaluation, plus one for TWEEDIE or MEAN denoising
 * @param timeGrid where the steps fall (null: log-snr, the solver's default)
 */
public record DpmSolverSettings(SamplerKind kind, int steps, TimeGridKind timeGrid, Endpoints endpoints)
    implements SamplerSettings {

  public DpmSolverSettings {
    if (kind != SamplerKind.DPM_SOLVER_2M && kind != SamplerKind.DPM_SOLVER_3M
        && kind != SamplerKind.SDE_DPM_SOLVER_2M && kind != SamplerKind.UNIPC && kind != SamplerKind.UNIPC_3M) {
      throw new IllegalArgumentException("sampler '" + (kind == null ? null : kind.id()) + "' is not a DPM-Solver++");
    }
    timeGrid = SamplerSettings.solverGrid(kind, steps, timeGrid, endpoints);
  }

  @Override
  public Sampler toSampler() {
    int order = kind == SamplerKind.DPM_SOLVER_3M || kind == SamplerKind.UNIPC_3M ? 3 : 2;
    if (kind == SamplerKind.UNIPC || kind == SamplerKind.UNIPC_3M) {
      return DpmSolverPlusPlus.uniPc(order, steps, timeGrid, endpoints.eps(), endpoints.denoising());
    }
    return new DpmSolverPlusPlus(order, kind == SamplerKind.SDE_DPM_SOLVER_2M, steps, timeGrid, endpoints.eps(),
        endpoints.denoising());
  }
}
