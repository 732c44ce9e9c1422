package dev.scoresde.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
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

  /** The printed rows read back (for plots from several runs), and the plot is written. */
  @Test
  void printedRowsParseBackAndPlot(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    ImageSolverBenchmark.Row a = new ImageSolverBenchmark.Row("dpm-solver++2m", "10 steps, log-snr", 100, 10, 1.391,
        0.313, 1.084, Double.NaN, 15);
    ImageSolverBenchmark.Row b = new ImageSolverBenchmark.Row("PC (RD + Langevin)", "1000 steps", 100, 2000, 1.25,
        0.25, 1.084, 0.916, 3000);
    for (ImageSolverBenchmark.Row r : List.of(a, b)) {
      ImageSolverBenchmark.Row back = ImageSolverBenchmark.Row.parse(r.markdown());
      assertEquals(r.family(), back.family());
      assertEquals(r.label(), back.label());
      assertEquals(r.nfe(), back.nfe());
      assertEquals(r.fd(), back.fd(), 1e-9);
      assertEquals(r.fdError(), back.fdError(), 1e-9);
      assertEquals(r.classAccuracy(), back.classAccuracy(), 1e-9);
    }
    assertEquals(null, ImageSolverBenchmark.Row.parse("| sampler | budget | N | NFE | FD ± s.e. | floor | x | y | z |"));
    java.nio.file.Files.write(dir.resolve("run.out"), List.of("noise", a.markdown(), b.markdown()));
    ImageSolverBenchmark.main(new String[] {dir.resolve("plot.png").toString(), dir.resolve("run.out").toString()});
    BufferedImage png = javax.imageio.ImageIO.read(dir.resolve("plot.png").toFile());
    assertTrue(png.getWidth() > 300 && png.getHeight() > 200);
  }
}
