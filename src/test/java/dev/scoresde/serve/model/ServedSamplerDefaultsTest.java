package dev.scoresde.serve.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sampling.settings.DpmSolverSettings;
import dev.scoresde.sampling.settings.Fields;
import dev.scoresde.sampling.settings.HeunSettings;
import dev.scoresde.sampling.settings.InvalidFieldException;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.sampling.settings.SamplerKind;
import dev.scoresde.serve.ServeProperties;
import org.junit.jupiter.api.Test;

/**
 * A model's configured sampler defaults (its measured best, issue 16): a request that names no sampler gets them,
 * field by field under its own; one that names another sampler gets that sampler's own defaults.
 */
class ServedSamplerDefaultsTest {
  static final ServeProperties PROPS = ServeProperties.defaults();
  static final SamplerFields BEST = Fields.of("sampler", "dpm-solver++2m", "steps", 9, "timeGrid", "uniform");

  static ServedModel tuned() {
    return SamplerDefaultsTest.mixture("vp").withSampler(BEST);
  }

  @Test
  void aRequestWithNoSamplerFieldGetsTheModelsDefaults() {
    try (ServedModel m = tuned()) {
      DpmSolverSettings d = assertInstanceOf(DpmSolverSettings.class, m.samplerSettings(null, PROPS));
      assertEquals(SamplerKind.DPM_SOLVER_2M, d.kind());
      assertEquals(9, d.steps());
      assertEquals(TimeGridKind.UNIFORM, d.timeGrid());
      assertEquals(d, m.samplerDefaults(), "GET /v1/models/{name} shows what a bare request gets");
    }
  }

  @Test
  void fieldsOfTheRequestWinOneByOne() {
    try (ServedModel m = tuned()) {
      DpmSolverSettings d = assertInstanceOf(DpmSolverSettings.class,
          m.samplerSettings(Fields.of("steps", 20), PROPS));
      assertEquals(20, d.steps());
      assertEquals(TimeGridKind.UNIFORM, d.timeGrid(), "the default grid is kept");
      DpmSolverSettings same = assertInstanceOf(DpmSolverSettings.class,
          m.samplerSettings(Fields.of("sampler", "dpmpp-2m", "timeGrid", "log-snr"), PROPS));
      assertEquals(9, same.steps(), "an alias of the default sampler keeps its steps");
      assertEquals(TimeGridKind.LOG_SNR, same.timeGrid());
    }
  }

  @Test
  void thePapersSamplersAreOneFieldAway() {
    try (ServedModel m = tuned()) {
      PcSettings pc = assertInstanceOf(PcSettings.class, m.samplerSettings(Fields.of("sampler", "pc"), PROPS));
      assertEquals(PROPS.samplerLimits().paperSteps(), pc.steps(), "the server's N, not the default's 9");
      assertEquals(SamplerKind.PC, pc.kind());
      HeunSettings heun = assertInstanceOf(HeunSettings.class, m.samplerSettings(Fields.of("sampler", "heun"), PROPS));
      assertEquals(TimeGridKind.KARRAS, heun.timeGrid(), "not the default's grid");
    }
  }

  @Test
  void badDefaultsAreRefusedWhenTheModelIsBuiltNotOnTheFirstRequest() {
    try (ServedModel m = SamplerDefaultsTest.mixture("vp")) {
      assertThrows(InvalidFieldException.class, () -> m.withSampler(Fields.of("sampler", "dpm-solver-9000")));
      assertThrows(InvalidFieldException.class, () -> m.withSampler(Fields.of("sampler", "ddim", "steps", 1)));
    }
  }
}
