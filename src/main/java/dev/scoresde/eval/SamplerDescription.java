package dev.scoresde.eval;

import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.settings.DdimSettings;
import dev.scoresde.sampling.settings.HeunSettings;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.ProbabilityFlowSettings;
import dev.scoresde.sampling.settings.SamplerSettings;
import java.util.Locale;

/** A one-line description of sampler settings, by the API's names, for reports. */
final class SamplerDescription {
  private SamplerDescription() {}

  static String of(SamplerSettings s) {
    String tau = s.endpoints().temperature() == 1 ? ""
        : String.format(Locale.ROOT, ", temperature %.3g", s.endpoints().temperature());
    return sampler(s) + String.format(Locale.ROOT, ", eps %.0e", s.endpoints().eps()) + tau;
  }

  private static String sampler(SamplerSettings s) {
    if (s instanceof ProbabilityFlowSettings f) {
      return String.format(Locale.ROOT, "ode (probability flow, Dormand–Prince rtol %.0e, atol %.0e)", f.rtol(),
          f.atol());
    }
    if (s instanceof PcSettings pc) {
      String corrector = pc.corrector() == CorrectorKind.NONE ? "no corrector"
          : String.format(Locale.ROOT, "%s corrector (snr %.3g, %d step%s)", pc.corrector().id(), pc.snr(),
              pc.correctorSteps(), pc.correctorSteps() == 1 ? "" : "s");
      return String.format(Locale.ROOT, "%s: %s predictor + %s, N = %d", pc.kind().id(), pc.predictor().id(),
          corrector, pc.steps());
    }
    String grid = String.format(Locale.ROOT, "%s: %d steps on the %s grid", s.kind().id(), s.fields().steps(),
        s.fields().timeGrid());
    if (s instanceof HeunSettings h) {
      return grid + String.format(Locale.ROOT, ", churn %.3g", h.churn());
    }
    if (s instanceof DdimSettings d) {
      return grid + String.format(Locale.ROOT, ", η %.3g", d.eta());
    }
    return grid;
  }
}
