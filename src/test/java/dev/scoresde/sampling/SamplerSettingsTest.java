package dev.scoresde.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.fast.Ddim;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.sampling.fast.Heun;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.sde.VeSde;
import dev.scoresde.tensor.Rng;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SamplerSettingsTest {

  @Test
  void namesParseInTheApisSpellings() {
    assertEquals(SamplerKind.PC, SamplerKind.parse("pc"));
    assertEquals(SamplerKind.ODE, SamplerKind.parse("ODE"));
    assertEquals(SamplerKind.EULER_MARUYAMA, SamplerKind.parse("euler-maruyama"));
    assertEquals(SamplerKind.REVERSE_DIFFUSION, SamplerKind.parse("reverse_diffusion"));
    assertEquals(SamplerKind.ANCESTRAL, SamplerKind.parse("ancestral"));
    assertEquals(PredictorKind.EULER_MARUYAMA, PredictorKind.parse("Euler_Maruyama"));
    assertEquals(PredictorKind.ANCESTRAL, PredictorKind.parse("ancestral_sampling"));
    assertEquals(PredictorKind.NONE, PredictorKind.parse("none"));
    assertEquals(CorrectorKind.LANGEVIN, CorrectorKind.parse("langevin"));
    assertEquals(CorrectorKind.ANNEALED_LANGEVIN, CorrectorKind.parse("ald"));
    assertEquals(CorrectorKind.ANNEALED_LANGEVIN, CorrectorKind.parse("annealed-langevin"));
    assertEquals(CorrectorKind.NONE, CorrectorKind.parse("none"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplerKind.parse("plms"));
    assertTrue(e.getMessage().contains("plms") && e.getMessage().contains("reverse-diffusion"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CorrectorKind.parse("hmc"));
    assertThrows(IllegalArgumentException.class, () -> PredictorKind.parse(null));
  }

  @Test
  void defaultsAreThePapers() {
    SamplerSettings ve = SamplerSettings.defaults(SdeKind.VE);
    assertEquals(PredictorKind.REVERSE_DIFFUSION, ve.predictor());
    assertEquals(CorrectorKind.LANGEVIN, ve.corrector());
    assertEquals(0.16, ve.snr());
    assertEquals(1, ve.correctorSteps());
    assertEquals(1000, ve.steps());
    assertEquals(1e-5, ve.eps());
    for (SdeKind k : new SdeKind[] {SdeKind.VP, SdeKind.SUBVP}) {
      SamplerSettings vp = SamplerSettings.defaults(k);
      assertEquals(PredictorKind.EULER_MARUYAMA, vp.predictor());
      assertEquals(CorrectorKind.NONE, vp.corrector());
      assertEquals(1e-3, vp.eps());
      assertEquals(1e-5, vp.rtol());
      assertEquals(1e-5, vp.atol());
    }
    PcSampler pc = assertInstanceOf(PcSampler.class, ve.toSampler());
    assertInstanceOf(ReverseDiffusionPredictor.class, pc.predictor());
    assertEquals(new LangevinCorrector(0.16, 1, StepSizeScope.PER_ROW), pc.corrector());
    assertEquals(PcSampler.Order.CORRECTOR_FIRST, pc.order());
    assertEquals(Denoising.MEAN, pc.denoising());
  }

  @Test
  void samplerNamesBuildTheirSamplers() {
    SamplerSettings base = SamplerSettings.defaults(SdeKind.VE);
    ProbabilityFlowSampler ode = assertInstanceOf(ProbabilityFlowSampler.class,
        base.withSampler(SamplerKind.ODE).withTolerances(1e-4, 1e-3).toSampler());
    assertEquals(1e-4, ode.options().rtol());
    assertEquals(1e-3, ode.options().atol());
    PcSampler anc = assertInstanceOf(PcSampler.class, base.withSampler(SamplerKind.ANCESTRAL).toSampler());
    assertInstanceOf(AncestralSamplingPredictor.class, anc.predictor());
    assertInstanceOf(NoneCorrector.class, anc.corrector());
    PcSampler ald = assertInstanceOf(PcSampler.class, base.withPredictor(PredictorKind.NONE)
        .withCorrector(CorrectorKind.ANNEALED_LANGEVIN).withCorrection(0.1, 3, StepSizeScope.BATCH).toSampler());
    assertEquals(new AnnealedLangevinCorrector(0.1, 3), ald.corrector());
  }

  @Test
  void outOfRangeSettingsAreRejectedWithTheirName() {
    SamplerSettings ok = SamplerSettings.defaults(SdeKind.VP);
    rejects("steps", () -> ok.withSteps(1));
    rejects("steps", () -> ok.withSteps(SamplerSettings.MAX_STEPS + 1));
    rejects("snr", () -> ok.withCorrection(0, 1, StepSizeScope.PER_ROW));
    rejects("snr", () -> ok.withCorrection(Double.NaN, 1, StepSizeScope.PER_ROW));
    rejects("corrector steps", () -> ok.withCorrection(0.16, 0, StepSizeScope.PER_ROW));
    rejects("rtol", () -> ok.withTolerances(0, 1e-5));
    rejects("rtol", () -> ok.withTolerances(1e-5, 2));
    rejects("eps", () -> ok.withEps(0));
    rejects("eps", () -> ok.withEps(1));
    rejects("predictor", () -> ok.withSampler(SamplerKind.PC).withPredictor(PredictorKind.NONE));
    rejects("alone", () -> ok.withSampler(SamplerKind.EULER_MARUYAMA).withCorrector(CorrectorKind.LANGEVIN));
    rejects("subvp", () -> ok.withSampler(SamplerKind.ANCESTRAL).requireCompatible(SdeKind.SUBVP));
    ok.withSampler(SamplerKind.ANCESTRAL).requireCompatible(SdeKind.VP);
    ok.withSampler(SamplerKind.ODE).withPredictor(PredictorKind.ANCESTRAL).requireCompatible(SdeKind.SUBVP);
  }

  @Test
  void fastSolverNamesBuildTheirSolversOnTheirDefaultGrids() {
    assertEquals(SamplerKind.DPM_SOLVER_2M, SamplerKind.parse("DPM-Solver++2M"));
    assertEquals(SamplerKind.DPM_SOLVER_2M, SamplerKind.parse("dpmpp_2m"));
    assertEquals(SamplerKind.DPM_SOLVER_3M, SamplerKind.parse("dpm-solver++3m"));
    assertEquals(SamplerKind.SDE_DPM_SOLVER_2M, SamplerKind.parse("sde-dpmpp-2m"));
    assertEquals(SamplerKind.HEUN, SamplerKind.parse("heun"));
    assertEquals(SamplerKind.DDIM, SamplerKind.parse("DDIM"));
    assertEquals(TimeGridKind.LOG_SNR, TimeGridKind.parse("log_snr"));
    assertEquals(TimeGridKind.KARRAS, TimeGridKind.parse("Karras"));
    assertThrows(IllegalArgumentException.class, () -> TimeGridKind.parse("cosine"));
    SamplerSettings vp = SamplerSettings.defaults(SdeKind.VP).withSteps(20);
    assertEquals(TimeGridKind.UNIFORM, vp.timeGrid());
    assertEquals(new DpmSolverPlusPlus(2, false, 20, TimeGridKind.LOG_SNR, 1e-3, Denoising.MEAN),
        vp.withSampler(SamplerKind.DPM_SOLVER_2M).toSampler());
    assertEquals(new DpmSolverPlusPlus(3, false, 20, TimeGridKind.LOG_SNR, 1e-3, Denoising.MEAN),
        vp.withSampler(SamplerKind.DPM_SOLVER_3M).toSampler());
    assertEquals(new DpmSolverPlusPlus(2, true, 20, TimeGridKind.UNIFORM, 1e-3, Denoising.NONE),
        vp.withSampler(SamplerKind.SDE_DPM_SOLVER_2M).withTimeGrid(TimeGridKind.UNIFORM)
            .withDenoising(Denoising.NONE).toSampler());
    assertEquals(new Heun(20, TimeGridKind.KARRAS, 1e-3, Denoising.MEAN, 40),
        vp.withSampler(SamplerKind.HEUN).withChurn(40).toSampler());
    assertEquals(new Ddim(20, TimeGridKind.QUADRATIC, 1e-3, Denoising.MEAN, 0.5),
        vp.withSampler(SamplerKind.DDIM).withEta(0.5).toSampler());
    assertEquals(1.0, vp.temperature());
    assertEquals(0.0, vp.eta());
    assertEquals(0.0, vp.churn());
  }

  /** The grid follows the sampler; η and churn survive only a change to the sampler that uses them. */
  @Test
  void changingTheSamplerResetsWhatTheNewOneDoesNotUse() {
    SamplerSettings ddim = SamplerSettings.defaults(SdeKind.VP).withSampler(SamplerKind.DDIM).withEta(1)
        .withTimeGrid(TimeGridKind.LOG_SNR).withTemperature(0.7);
    SamplerSettings heun = ddim.withSampler(SamplerKind.HEUN);
    assertEquals(0.0, heun.eta());
    assertEquals(TimeGridKind.KARRAS, heun.timeGrid());
    assertEquals(0.7, heun.temperature());
    assertEquals(1.0, heun.withSampler(SamplerKind.DDIM).withEta(1).eta());
    SamplerSettings pc = heun.withChurn(10).withSampler(SamplerKind.PC);
    assertEquals(0.0, pc.churn());
    assertEquals(TimeGridKind.UNIFORM, pc.timeGrid());
  }

  @Test
  void fastSolverSettingsOutOfRangeAreRejectedWithTheirName() {
    SamplerSettings ok = SamplerSettings.defaults(SdeKind.VP);
    SamplerSettings ddim = ok.withSampler(SamplerKind.DDIM);
    SamplerSettings heun = ok.withSampler(SamplerKind.HEUN);
    rejects("eta", () -> ddim.withEta(-0.1));
    rejects("eta", () -> ddim.withEta(1.5));
    rejects("eta", () -> ddim.withEta(Double.NaN));
    rejects("ddim", () -> heun.withEta(0.5));
    rejects("churn", () -> heun.withChurn(-1));
    rejects("churn", () -> heun.withChurn(SamplerSettings.MAX_CHURN + 1));
    rejects("heun", () -> ddim.withChurn(10));
    rejects("temperature", () -> ok.withTemperature(0));
    rejects("temperature", () -> ok.withTemperature(2.5));
    rejects("temperature", () -> ok.withTemperature(Double.NaN));
    rejects("time grid", () -> ok.withTimeGrid(TimeGridKind.KARRAS));
    rejects("time grid", () -> ok.withSampler(SamplerKind.ODE).withTimeGrid(TimeGridKind.LOG_SNR));
    ok.withTemperature(2);
    heun.withTimeGrid(TimeGridKind.UNIFORM).withChurn(SamplerSettings.MAX_CHURN);
  }

  /** x_T = τ·(the prior draw of the same seed), for every sampler. */
  @Test
  void drawPriorScalesThePriorByTheTemperature() {
    VeSde ve = new VeSde(0.01, 20, 1000);
    try (NDManager m = NDManager.newBaseManager()) {
      float[] plain = SamplerSettings.defaults(SdeKind.VE).drawPrior(ve, m, new Shape(4, 3), Rng.of(9, 4))
          .toFloatArray();
      float[] warm = SamplerSettings.defaults(SdeKind.VE).withSampler(SamplerKind.HEUN).withTemperature(0.5)
          .drawPrior(ve, m, new Shape(4, 3), Rng.of(9, 4)).toFloatArray();
      float[] prior = ve.priorSample(m, new Shape(4, 3), Rng.of(9, 4)).toFloatArray();
      for (int i = 0; i < plain.length; i++) {
        assertEquals(prior[i], plain[i], 0f);
        assertEquals(0.5f * prior[i], warm[i], 1e-6f * Math.abs(prior[i]));
      }
    }
  }

  private static void rejects(String word, Supplier<?> build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
    assertTrue(e.getMessage().contains(word), "message '" + e.getMessage() + "' should name " + word);
  }
}
