package dev.scoresde.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.SamplerKind;
import dev.scoresde.sampling.SamplerSettings;
import dev.scoresde.sampling.fast.TimeGridKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analytic mixtures are low-dimensional, where the per-row Langevin step is biased: their defaults never
 * use a Langevin corrector, while checkpoints keep the paper's defaults.
 */
class SamplerDefaultsTest {
  static final ServeProperties PROPS = ServeProperties.defaults();

  static ServedModel mixture(String sde) {
    return MixtureModels.create("m", new ModelsProperties.Mixture("patterns-16", null, null, null, null, sde, null),
        "cpu");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ve", "vp", "subvp"})
  void mixtureDefaultsHaveNoLangevinCorrector(String sde) {
    try (ServedModel m = mixture(sde)) {
      SamplerSettings d = SamplerRequest.defaults().toSettings(m, PROPS);
      assertEquals(CorrectorKind.NONE, d.corrector());
      assertEquals(SamplerSettings.defaults(m.sde().kind()).predictor(), d.predictor(), "the paper's predictor");
      assertEquals(SamplerSettings.defaults(m.sde().kind()).eps(), d.eps());
    }
  }

  @Test
  void aVeCheckpointKeepsThePapersLangevinCorrectorAndAMixtureStillGetsOneOnRequest() {
    try (ServedModel m = mixture("ve")) {
      assertEquals(SamplerKind.REVERSE_DIFFUSION, m.samplerDefaults().sampler());
      ServedModel checkpoint = new ServedModel("c", "checkpoint", "", m.sde(), m.shape(), m.range(), m.classNames(),
          m.score(), null, null, m.manager(), m.details(), null);
      assertEquals(CorrectorKind.LANGEVIN, checkpoint.samplerDefaults().corrector());
      SamplerSettings asked = new SamplerRequest("pc", null, null, "langevin", null, null, null, null, null, null,
          null, null).toSettings(m, PROPS);
      assertEquals(PredictorKind.REVERSE_DIFFUSION, asked.predictor());
      assertEquals(CorrectorKind.LANGEVIN, asked.corrector());
    }
  }

  @Test
  void fastSolversDefaultToTwentyStepsAndThePaperSamplersToTheConfiguredN() {
    try (ServedModel m = mixture("vp")) {
      SamplerSettings fast = new SamplerRequest("dpm-solver++2m", null, null, null, null, null, null, null, null, null,
          null, null).toSettings(m, PROPS);
      assertEquals(SamplerRequest.FAST_SOLVER_STEPS, fast.steps());
      SamplerSettings paper = new SamplerRequest("euler-maruyama", null, null, null, null, null, null, null, null, null,
          null, null).toSettings(m, PROPS);
      assertEquals(Math.min(PROPS.defaultSteps(), PROPS.limits().maxSteps()), paper.steps());
    }
  }

  @Test
  void fastSolverFieldsReachTheSettingsAndMistakesNameTheirParameter() {
    try (ServedModel m = mixture("vp")) {
      SamplerSettings s = new SamplerRequest("ddim", 12, null, null, null, null, null, null, "karras", 0.4, null, 0.8)
          .toSettings(m, PROPS);
      assertEquals(TimeGridKind.KARRAS, s.timeGrid());
      assertEquals(0.4, s.eta());
      assertEquals(0.8, s.temperature());
      assertEquals(12, s.steps());
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new SamplerRequest("heun", null,
          null, null, null, null, null, null, null, 0.4, null, null).toSettings(m, PROPS));
      assertEquals("eta", e.parameter());
    }
  }
}
