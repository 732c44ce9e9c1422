package dev.scoresde.eval;

import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.SamplerKind;
import dev.scoresde.sampling.SamplerSettings;
import java.util.Locale;

/** A one-line description of sampler settings, by the API's names, for reports. */
final class SamplerDescription {
  private SamplerDescription() {}

  static String of(SamplerSettings s) {
    if (s.sampler() == SamplerKind.ODE) {
      return String.format(Locale.ROOT, "ode (probability flow, Dormand–Prince rtol %.0e, atol %.0e), eps %.0e",
          s.rtol(), s.atol(), s.eps());
    }
    if (s.sampler().isFastSolver()) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %d steps on the %s grid", s.sampler().id(),
          s.steps(), s.timeGrid().id()));
      if (s.sampler() == SamplerKind.DDIM) {
        b.append(String.format(Locale.ROOT, ", η %.3g", s.eta()));
      }
      if (s.sampler() == SamplerKind.HEUN) {
        b.append(String.format(Locale.ROOT, ", churn %.3g", s.churn()));
      }
      return b.append(String.format(Locale.ROOT, ", eps %.0e", s.eps())).toString();
    }
    String corrector = s.corrector() == CorrectorKind.NONE ? "no corrector"
        : String.format(Locale.ROOT, "%s corrector (snr %.3g, %d step%s)", s.corrector().id(), s.snr(),
            s.correctorSteps(), s.correctorSteps() == 1 ? "" : "s");
    return String.format(Locale.ROOT, "%s: %s predictor + %s, N = %d, eps %.0e", s.sampler().id(), s.predictor().id(),
        corrector, s.steps(), s.eps());
  }
}
