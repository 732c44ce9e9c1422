package dev.scoresde.eval.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.cli.Options;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sampling.settings.DdimSettings;
import dev.scoresde.sampling.settings.HeunSettings;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.ProbabilityFlowSettings;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sde.SdeKind;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultApplicationArguments;

/** The evaluate profile reads its sampler options through the API's parser, fast-solver options included. */
class EvaluationSamplerOptionsTest {

  static SamplerSettings sampler(String... args) {
    return EvaluationRunner.sampler(new Options(new DefaultApplicationArguments(args)), SdeKind.VP);
  }

  @Test
  void withoutOptionsItIsTheProbabilityFlowAtThePapersTolerances() {
    ProbabilityFlowSettings ode = assertInstanceOf(ProbabilityFlowSettings.class, sampler());
    assertEquals(1e-5, ode.rtol());
    assertEquals(1e-3, ode.endpoints().eps());
  }

  @Test
  void fastSolverOptionsReachTheSettings() {
    DdimSettings ddim = assertInstanceOf(DdimSettings.class, sampler("--sampler=ddim", "--steps=25",
        "--time-grid=log-snr", "--eta=0.5", "--temperature=0.9", "--denoising=tweedie"));
    assertEquals(new DdimSettings(25, TimeGridKind.LOG_SNR, 0.5, ddim.endpoints()), ddim);
    assertEquals(0.9, ddim.endpoints().temperature());
    assertEquals(Denoising.TWEEDIE, ddim.endpoints().denoising());
    HeunSettings heun = assertInstanceOf(HeunSettings.class, sampler("--sampler=heun", "--churn=10"));
    assertEquals(10.0, heun.churn());
    assertEquals(TimeGridKind.KARRAS, heun.timeGrid());
    assertEquals(1000, heun.steps(), "a sampler named on the command line keeps N = 1000 unless --steps says");
    PcSettings pc = assertInstanceOf(PcSettings.class, sampler("--sampler=pc", "--corrector=langevin",
        "--corrector-steps=2", "--snr=0.2", "--eps=1e-2"));
    assertEquals(2, pc.correctorSteps());
    assertEquals(0.01, pc.endpoints().eps());
  }

  @Test
  void mistakesNameTheirOption() {
    for (String[] bad : new String[][] {{"--sampler=heun", "--eta=0.5"}, {"--sampler=ddim", "--eta=2"},
        {"--time-grid=karras"}, {"--sampler=pc", "--corrector-steps=0"}, {"--sampler=magic"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sampler(bad));
      String option = bad[bad.length - 1].substring(0, bad[bad.length - 1].indexOf('='));
      assertTrue(e.getMessage().startsWith(option + ":"), e.getMessage());
    }
  }
}
