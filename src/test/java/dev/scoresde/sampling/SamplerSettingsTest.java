package dev.scoresde.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.sde.SdeKind;
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
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplerKind.parse("ddim"));
    assertTrue(e.getMessage().contains("ddim") && e.getMessage().contains("reverse-diffusion"), e.getMessage());
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

  private static void rejects(String word, Supplier<?> build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
    assertTrue(e.getMessage().contains(word), "message '" + e.getMessage() + "' should name " + word);
  }
}
