package dev.scoresde.sampling.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.AncestralSamplingPredictor;
import dev.scoresde.sampling.AnnealedLangevinCorrector;
import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.LangevinCorrector;
import dev.scoresde.sampling.NoneCorrector;
import dev.scoresde.sampling.PcSampler;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.ProbabilityFlowSampler;
import dev.scoresde.sampling.ReverseDiffusionPredictor;
import dev.scoresde.sampling.StepSizeScope;
import dev.scoresde.sampling.fast.Ddim;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.sampling.fast.Heun;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.sde.VeSde;
import dev.scoresde.tensor.Rng;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SamplerSettingsTest {
  static final Endpoints VP = Endpoints.paper(SdeKind.VP);

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
    PcSettings ve = SamplerSettings.defaults(SdeKind.VE);
    assertEquals(PredictorKind.REVERSE_DIFFUSION, ve.predictor());
    assertEquals(CorrectorKind.LANGEVIN, ve.corrector());
    assertEquals(0.16, ve.snr());
    assertEquals(1, ve.correctorSteps());
    assertEquals(1000, ve.steps());
    assertEquals(1e-5, ve.endpoints().eps());
    for (SdeKind k : new SdeKind[] {SdeKind.VP, SdeKind.SUBVP}) {
      PcSettings vp = SamplerSettings.defaults(k);
      assertEquals(PredictorKind.EULER_MARUYAMA, vp.predictor());
      assertEquals(CorrectorKind.NONE, vp.corrector());
      assertEquals(1e-3, vp.endpoints().eps());
      ProbabilityFlowSettings ode = assertInstanceOf(ProbabilityFlowSettings.class,
          Fields.of("sampler", "ode").toSettings(k));
      assertEquals(1e-5, ode.rtol());
      assertEquals(1e-5, ode.atol());
      assertEquals(1e-5, SamplerFields.describe(vp).rtol(), "a model's defaults show the ODE's tolerances");
      assertEquals(1e-5, SamplerFields.describe(vp).atol());
    }
    PcSampler pc = assertInstanceOf(PcSampler.class, ve.toSampler());
    assertInstanceOf(ReverseDiffusionPredictor.class, pc.predictor());
    assertEquals(new LangevinCorrector(0.16, 1, StepSizeScope.PER_ROW), pc.corrector());
    assertEquals(PcSampler.Order.CORRECTOR_FIRST, pc.order());
    assertEquals(Denoising.MEAN, pc.denoising());
  }

  @Test
  void samplerNamesBuildTheirSamplers() {
    ProbabilityFlowSampler ode = assertInstanceOf(ProbabilityFlowSampler.class,
        Fields.of("sampler", "ode", "rtol", 1e-4, "atol", 1e-3).toSettings(SdeKind.VE).toSampler());
    assertEquals(1e-4, ode.options().rtol());
    assertEquals(1e-3, ode.options().atol());
    PcSampler anc = assertInstanceOf(PcSampler.class, Fields.of("sampler", "ancestral").toSettings(SdeKind.VE)
        .toSampler());
    assertInstanceOf(AncestralSamplingPredictor.class, anc.predictor());
    assertInstanceOf(NoneCorrector.class, anc.corrector());
    PcSampler ald = assertInstanceOf(PcSampler.class, new PcSettings(SamplerKind.PC, PredictorKind.NONE,
        CorrectorKind.ANNEALED_LANGEVIN, 1000, 0.1, 3, StepSizeScope.BATCH, PcSampler.Order.CORRECTOR_FIRST,
        Endpoints.paper(SdeKind.VE)).toSampler());
    assertEquals(new AnnealedLangevinCorrector(0.1, 3), ald.corrector());
  }

  static PcSettings correction(PcSettings s, double snr, int steps) {
    return new PcSettings(s.kind(), s.predictor(), s.corrector(), s.steps(), snr, steps, s.stepSizeScope(), s.order(),
        s.endpoints());
  }

  @Test
  void outOfRangeSettingsAreRejectedWithTheirName() {
    PcSettings ok = SamplerSettings.defaults(SdeKind.VP);
    rejects("steps", () -> ok.withSteps(1));
    rejects("steps", () -> ok.withSteps(SamplerSettings.MAX_STEPS + 1));
    rejects("snr", () -> correction(ok, 0, 1));
    rejects("snr", () -> correction(ok, Double.NaN, 1));
    rejects("corrector steps", () -> correction(ok, 0.16, 0));
    rejects("rtol", () -> new ProbabilityFlowSettings(0, 1e-5, VP));
    rejects("rtol", () -> new ProbabilityFlowSettings(1e-5, 2, VP));
    rejects("eps", () -> VP.withEps(0));
    rejects("eps", () -> VP.withEps(1));
    rejects("predictor", () -> Fields.of("sampler", "pc", "predictor", "none").toSettings(SdeKind.VP));
    rejects("alone", () -> Fields.of("sampler", "euler-maruyama", "corrector", "langevin").toSettings(SdeKind.VP));
    rejects("subvp", () -> Fields.of("sampler", "ancestral").toSettings(SdeKind.SUBVP));
    Fields.of("sampler", "ancestral").toSettings(SdeKind.VP);
    Fields.of("sampler", "ode", "predictor", "ancestral").toSettings(SdeKind.SUBVP);
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
    PcSettings vp = SamplerSettings.defaults(SdeKind.VP).withSteps(20);
    assertEquals("uniform", SamplerFields.describe(vp).timeGrid());
    assertEquals(new DpmSolverPlusPlus(2, false, 20, TimeGridKind.LOG_SNR, 1e-3, Denoising.MEAN),
        fast(vp, "sampler", "dpm-solver++2m").toSampler());
    assertEquals(new DpmSolverPlusPlus(3, false, 20, TimeGridKind.LOG_SNR, 1e-3, Denoising.MEAN),
        fast(vp, "sampler", "dpm-solver++3m").toSampler());
    assertEquals(new DpmSolverPlusPlus(2, true, 20, TimeGridKind.UNIFORM, 1e-3, Denoising.NONE),
        fast(vp, "sampler", "sde-dpm-solver++2m", "timeGrid", "uniform", "denoising", "none").toSampler());
    assertEquals(new Heun(20, TimeGridKind.KARRAS, 1e-3, Denoising.MEAN, 40),
        fast(vp, "sampler", "heun", "churn", 40.0).toSampler());
    assertEquals(new Ddim(20, TimeGridKind.QUADRATIC, 1e-3, Denoising.MEAN, 0.5),
        fast(vp, "sampler", "ddim", "eta", 0.5).toSampler());
    assertEquals(1.0, vp.endpoints().temperature());
    assertEquals(0.0, SamplerFields.describe(vp).eta());
    assertEquals(0.0, SamplerFields.describe(vp).churn());
  }

  /** {@code fields} over {@code base} with 20 steps for the fast solvers. */
  static SamplerSettings fast(SamplerSettings base, Object... fields) {
    return Fields.of(fields).toSettings(base, SdeKind.VP, new SamplerFields.Limits(SamplerSettings.MAX_STEPS,
        PcSettings.MAX_SNR, PcSettings.PAPER_STEPS, 20));
  }

  /** The grid follows the sampler; η and churn survive only a change to the sampler that uses them. */
  @Test
  void changingTheSamplerResetsWhatTheNewOneDoesNotUse() {
    SamplerSettings ddim = new DdimSettings(20, TimeGridKind.LOG_SNR, 1, VP.withTemperature(0.7));
    SamplerSettings heun = fast(ddim, "sampler", "heun");
    assertEquals(0.0, SamplerFields.describe(heun).eta());
    assertEquals("karras", heun.fields().timeGrid());
    assertEquals(0.7, heun.endpoints().temperature());
    assertEquals(1.0, fast(heun, "sampler", "ddim", "eta", 1.0).fields().eta());
    SamplerSettings pc = fast(new HeunSettings(20, null, 10, VP), "sampler", "pc");
    assertEquals(0.0, SamplerFields.describe(pc).churn());
    assertEquals("uniform", SamplerFields.describe(pc).timeGrid());
  }

  @Test
  void fastSolverSettingsOutOfRangeAreRejectedWithTheirName() {
    rejects("eta", () -> new DdimSettings(20, null, -0.1, VP));
    rejects("eta", () -> new DdimSettings(20, null, 1.5, VP));
    rejects("eta", () -> new DdimSettings(20, null, Double.NaN, VP));
    rejects("ddim", () -> Fields.of("sampler", "heun", "eta", 0.5).toSettings(SdeKind.VP));
    rejects("churn", () -> new HeunSettings(20, null, -1, VP));
    rejects("churn", () -> new HeunSettings(20, null, HeunSettings.MAX_CHURN + 1, VP));
    rejects("heun", () -> Fields.of("sampler", "ddim", "churn", 10.0).toSettings(SdeKind.VP));
    rejects("temperature", () -> VP.withTemperature(0));
    rejects("temperature", () -> VP.withTemperature(2.5));
    rejects("temperature", () -> VP.withTemperature(Double.NaN));
    rejects("time grid", () -> Fields.of("timeGrid", "karras").toSettings(SdeKind.VP));
    rejects("time grid", () -> Fields.of("sampler", "ode", "timeGrid", "log-snr").toSettings(SdeKind.VP));
    VP.withTemperature(2);
    new HeunSettings(20, TimeGridKind.UNIFORM, HeunSettings.MAX_CHURN, VP);
  }

  /** The parser's mistakes name the API field, whichever check finds them. */
  @Test
  void parserMistakesNameTheirField() {
    assertEquals("predictor", field(Fields.of("sampler", "pc", "predictor", "none")));
    assertEquals("corrector", field(Fields.of("sampler", "euler-maruyama", "corrector", "langevin")));
    assertEquals("predictor", field(Fields.of("sampler", "ancestral", "predictor", "euler-maruyama")));
    assertEquals("eta", field(Fields.of("sampler", "ddim", "eta", 1.5)));
    assertEquals("eta", field(Fields.of("sampler", "pc", "eta", 0.5)));
    assertEquals("churn", field(Fields.of("sampler", "ddim", "churn", 1.0)));
    assertEquals("timeGrid", field(Fields.of("sampler", "heun", "timeGrid", "nonsense")));
    assertEquals("steps", field(Fields.of("steps", 1)));
    assertEquals("correctorSteps", field(Fields.of("correctorSteps", 0)));
    assertEquals("temperature", field(Fields.of("temperature", 2.5)));
    assertEquals("eps", field(Fields.of("eps", 0.0)));
    assertEquals("denoising", field(Fields.of("denoising", "blur")));
    assertEquals("sampler", field(Fields.of("sampler", "ancestral")));
  }

  private static String field(SamplerFields f) {
    return assertThrows(InvalidFieldException.class, () -> f.toSettings(SdeKind.SUBVP)).field();
  }

  /** Every family's fields read back to the same settings: the API names are the whole of a settings value. */
  @Test
  void fieldsReadBackToTheSameSettings() {
    PcSettings pc = new PcSettings(SamplerKind.PC, PredictorKind.REVERSE_DIFFUSION, CorrectorKind.ANNEALED_LANGEVIN,
        300, 0.2, 2, StepSizeScope.PER_ROW, PcSampler.Order.CORRECTOR_FIRST, VP.withDenoising(Denoising.TWEEDIE));
    for (SamplerSettings s : List.of(pc, pc.predictorAlone(), new ProbabilityFlowSettings(1e-3, 1e-4, VP),
        new DpmSolverSettings(SamplerKind.DPM_SOLVER_3M, 12, TimeGridKind.KARRAS, VP.withEps(1e-2)),
        new HeunSettings(7, null, 3, VP.withTemperature(0.8)), new DdimSettings(9, TimeGridKind.UNIFORM, 0.3, VP))) {
      assertEquals(s, s.fields().toSettings(SamplerSettings.defaults(SdeKind.VP), SdeKind.VP,
          SamplerFields.Limits.SETTINGS), s.kind().id());
    }
  }

  /** x_T = τ·(the prior draw of the same seed), for every sampler. */
  @Test
  void drawPriorScalesThePriorByTheTemperature() {
    VeSde ve = new VeSde(0.01, 20, 1000);
    try (NDManager m = NDManager.newBaseManager()) {
      float[] plain = SamplerSettings.defaults(SdeKind.VE).drawPrior(ve, m, new Shape(4, 3), Rng.of(9, 4))
          .toFloatArray();
      float[] warm = new HeunSettings(20, null, 0, Endpoints.paper(SdeKind.VE).withTemperature(0.5))
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
