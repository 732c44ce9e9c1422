package dev.scoresde.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.SamplerKind;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sde.SdeKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalyticReportTest {

  /**
   * Every predictor × corrector pair but none + none (Langevin with the reference's batch step size and with
   * our per-row one), and the ODE; no ancestral sampling for sub-VP.
   */
  @Test
  void listsEveryPaperSamplerUnderEachSde() {
    for (SdeKind kind : SdeKind.values()) {
      List<SamplerSettings> list = AnalyticReport.paperSamplers(kind);
      int predictors = kind == SdeKind.SUBVP ? 3 : 4;
      assertEquals(predictors * 2 - 1 + 1 + predictors, list.size(), kind + ": " + list); // + per-row Langevin
      assertEquals(1, list.stream().filter(s -> s.kind() == SamplerKind.ODE).count());
      assertTrue(list.stream().anyMatch(s -> s instanceof PcSettings pc && pc.kind() == SamplerKind.PC
          && pc.predictor() == PredictorKind.NONE && pc.corrector() == CorrectorKind.LANGEVIN), kind + " lacks corrector-only sampling");
      assertEquals(list.size(), list.stream().distinct().count(), kind + " repeats a sampler");
    }
  }

  /**
   * A quick run (50 steps; fewer would make the DDPM chain's β_i = β̄_i/N reach 1 at β_max = 20, and its
   * ancestral step divide by √(1 − β_i) = 0).
   */
  @Test
  void printsOneRowPerSamplerWithFiniteErrors() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new AnalyticReport(64, 50, 20, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    String samplers = text.substring(0, text.indexOf("Controllable generation")); // the control rows follow
    List<String> rows = samplers.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| SDE")).toList();
    int expected = 0;
    for (SdeKind kind : SdeKind.values()) {
      expected += AnalyticReport.paperSamplers(kind).size();
    }
    assertEquals(expected, rows.size(), String.join("\n", rows));
    for (String row : rows) {
      String[] cells = row.split("\\|");
      double sw = Double.parseDouble(cells[7].trim());
      assertTrue(Double.isFinite(sw) && sw >= 0, row);
    }
  }
}
