package dev.scoresde.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image half of the solver benchmark runs the shipped VP model at the analytic half's budgets. */
class ImageSolverBenchmarkTest {
  @Test
  void ddimRowsReportTheirBudgetsAndFiniteDistances() {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    List<ImageSolverBenchmark.Row> rows = new ImageSolverBenchmark(Path.of("models/fashion-mnist-ddpmpp-vp"), 12, 6,
        -1, "ddim"::equals, new PrintStream(text, true, StandardCharsets.UTF_8)).run();
    assertEquals(List.of(10.0, 20.0, 50.0), rows.stream().map(ImageSolverBenchmark.Row::nfe).toList());
    for (ImageSolverBenchmark.Row r : rows) {
      assertEquals(12, r.n());
      assertTrue(Double.isFinite(r.fd()) && r.fd() >= 0 && r.floor() > 0, r.toString());
      assertTrue(Double.isNaN(r.classAccuracy()), "unconditional: no class accuracy");
    }
    String table = text.toString(StandardCharsets.UTF_8);
    assertEquals(3, table.lines().filter(l -> l.startsWith("| ddim |")).count(), table);
  }

  @Test
  void aFamilyAtStepsPicksOneBudget() {
    List<ImageSolverBenchmark.Row> rows = new ImageSolverBenchmark(Path.of("models/fashion-mnist-ddpmpp-vp"), 4, 4,
        -1, java.util.Set.of("ddim@20", "heun@9")::contains, new PrintStream(PrintStream.nullOutputStream())).run();
    assertEquals(List.of("heun", "ddim"), rows.stream().map(ImageSolverBenchmark.Row::family).toList());
    assertEquals(List.of(18.0, 20.0), rows.stream().map(ImageSolverBenchmark.Row::nfe).toList());
  }
}
