package dev.scoresde.serve.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sampling.settings.DdimSettings;
import dev.scoresde.sampling.settings.Fields;
import dev.scoresde.sampling.settings.InvalidFieldException;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.SamplerKind;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.task.Task;
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
      PcSettings d = assertInstanceOf(PcSettings.class, m.samplerSettings(null, PROPS));
      assertEquals(CorrectorKind.NONE, d.corrector());
      assertEquals(SamplerSettings.defaults(m.sde().kind()).predictor(), d.predictor(), "the paper's predictor");
      assertEquals(SamplerSettings.defaults(m.sde().kind()).endpoints().eps(), d.endpoints().eps());
    }
  }

  @Test
  void aVeCheckpointKeepsThePapersLangevinCorrectorAndAMixtureStillGetsOneOnRequest() {
    try (ServedModel m = mixture("ve")) {
      assertEquals(SamplerKind.REVERSE_DIFFUSION, m.samplerDefaults().kind());
      ServedModel checkpoint = new ServedModel("c", "checkpoint", "", m.sde(), m.shape(), m.range(), m.classNames(),
          m.score(), null, null, m.manager(), m.details(), null);
      assertEquals(CorrectorKind.LANGEVIN, ((PcSettings) checkpoint.samplerDefaults()).corrector());
      PcSettings asked = assertInstanceOf(PcSettings.class,
          m.samplerSettings(Fields.of("sampler", "pc", "corrector", "langevin"), PROPS));
      assertEquals(PredictorKind.REVERSE_DIFFUSION, asked.predictor());
      assertEquals(CorrectorKind.LANGEVIN, asked.corrector());
    }
  }

  @Test
  void fastSolversDefaultToTwentyStepsAndThePaperSamplersToTheConfiguredN() {
    try (ServedModel m = mixture("vp")) {
      SamplerSettings fast = m.samplerSettings(Fields.of("sampler", "dpm-solver++2m"), PROPS);
      assertEquals(ServeProperties.FAST_SOLVER_STEPS, fast.fields().steps());
      SamplerSettings paper = m.samplerSettings(Fields.of("sampler", "euler-maruyama"), PROPS);
      assertEquals(Math.min(PROPS.defaultSteps(), PROPS.limits().maxSteps()), paper.fields().steps());
    }
  }

  @Test
  void fastSolverFieldsReachTheSettingsAndMistakesNameTheirParameter() {
    try (ServedModel m = mixture("vp")) {
      DdimSettings s = assertInstanceOf(DdimSettings.class, m.samplerSettings(Fields.of("sampler", "ddim", "steps", 12,
          "timeGrid", "karras", "eta", 0.4, "temperature", 0.8), PROPS));
      assertEquals(TimeGridKind.KARRAS, s.timeGrid());
      assertEquals(0.4, s.eta());
      assertEquals(0.8, s.endpoints().temperature());
      assertEquals(12, s.steps());
      InvalidFieldException e = assertThrows(InvalidFieldException.class,
          () -> m.samplerSettings(Fields.of("sampler", "heun", "eta", 0.4), PROPS));
      assertEquals("eta", e.field());
      InvalidRequestException named = assertThrows(InvalidRequestException.class, () -> Task.of(new Operation.Sample(
          "m", 1, Fields.of("sampler", "heun", "eta", 0.4), 1L, null, null, null), m, PROPS));
      assertEquals("eta", named.parameter(), "the inference core names the request's parameter");
    }
  }
}
