package dev.scoresde.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The benchmark's error-versus-NFE plot as a PNG (java.awt only): one row of panels per mixture, one
 * column per error (SW₁, Fréchet distance to the exact moments, median row path error), log–log, one line per sampler
 * family, and a dashed line at the PC sampler's error at 2000 NFE.
 */
final class ErrorPlot {
  private static final int PANEL_W = 420;
  private static final int PANEL_H = 300;
  private static final int MARGIN = 60;
  private static final Color[] COLORS = {new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b),
      new Color(0x7f7f7f), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x17becf), new Color(0xff7f0e),
      new Color(0xbcbd22), new Color(0xe377c2)};

  private ErrorPlot() {}

  record Metric(String name, ToDoubleFunction<SolverBenchmark.Row> value) {}

  static void write(List<SolverBenchmark.Row> rows, Path file) throws IOException {
    write(rows, List.of(new Metric("sliced W1 to exact draws", SolverBenchmark.Row::sw),
        new Metric("Frechet distance to exact moments", SolverBenchmark.Row::fd),
        new Metric("median row path error vs RK45 1e-6 (ODE solvers)", SolverBenchmark.Row::pathMedian)), file);
  }

  /** One panel per metric and mixture (row); rows whose metric is NaN or ≤ 0 are left out of its panel. */
  static void write(List<SolverBenchmark.Row> rows, List<Metric> metrics, Path file) throws IOException {
    List<String> mixtures = rows.stream().map(SolverBenchmark.Row::mixture).distinct().toList();
    List<String> families = rows.stream().map(SolverBenchmark.Row::family).distinct().toList();
    int legend = 190;
    BufferedImage img = new BufferedImage(metrics.size() * (PANEL_W + MARGIN) + MARGIN + legend,
        mixtures.size() * (PANEL_H + MARGIN) + MARGIN, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int r = 0; r < mixtures.size(); r++) {
      for (int c = 0; c < metrics.size(); c++) {
        String mixture = mixtures.get(r);
        List<SolverBenchmark.Row> mine = rows.stream().filter(x -> x.mixture().equals(mixture)).toList();
        panel(g, MARGIN + c * (PANEL_W + MARGIN), MARGIN / 2 + r * (PANEL_H + MARGIN), mine, families, metrics.get(c),
            mixture);
      }
    }
    int lx = metrics.size() * (PANEL_W + MARGIN) + MARGIN / 2;
    for (int i = 0; i < families.size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(lx, MARGIN + 18 * i, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(families.get(i), lx + 18, MARGIN + 18 * i + 11);
    }
    g.setColor(Color.RED);
    g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
    int ly = MARGIN + 18 * families.size() + 10;
    g.drawLine(lx, ly, lx + 12, ly);
    g.setColor(Color.BLACK);
    g.drawString("PC at 2000 NFE", lx + 18, ly + 4);
    g.dispose();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    ImageIO.write(img, "png", file.toFile());
  }

  private static void panel(Graphics2D g, int x0, int y0, List<SolverBenchmark.Row> rows, List<String> families,
      Metric metric, String mixture) {
    double xMin = Math.log10(5);
    double xMax = Math.log10(10_000);
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (SolverBenchmark.Row r : rows) {
      double v = metric.value().applyAsDouble(r);
      if (v > 0 && Double.isFinite(v)) {
        yMin = Math.min(yMin, Math.floor(Math.log10(v)));
        yMax = Math.max(yMax, Math.ceil(Math.log10(v)));
      }
    }
    if (!(yMax > yMin)) {
      yMin = -3;
      yMax = 0;
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1));
    g.drawRect(x0, y0, PANEL_W, PANEL_H);
    g.drawString(mixture + ": " + metric.name(), x0, y0 - 6);
    for (int e = (int) Math.ceil(xMin); e <= xMax; e++) {
      int px = px(e, xMin, xMax, x0);
      g.setColor(new Color(0xdddddd));
      g.drawLine(px, y0, px, y0 + PANEL_H);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%d", (long) Math.pow(10, e)), px - 8, y0 + PANEL_H + 14);
    }
    g.drawString("NFE", x0 + PANEL_W / 2 - 10, y0 + PANEL_H + 28);
    for (int e = (int) yMin; e <= yMax; e++) {
      int py = py(e, yMin, yMax, y0);
      g.setColor(new Color(0xdddddd));
      g.drawLine(x0, py, x0 + PANEL_W, py);
      g.setColor(Color.BLACK);
      g.drawString("1e" + e, x0 - 36, py + 4);
    }
    for (int f = 0; f < families.size(); f++) {
      String family = families.get(f);
      List<SolverBenchmark.Row> series = rows.stream().filter(r -> r.family().equals(family))
          .filter(r -> metric.value().applyAsDouble(r) > 0).sorted((a, b) -> Integer.compare(a.nfe(), b.nfe())).toList();
      g.setColor(COLORS[f % COLORS.length]);
      g.setStroke(new BasicStroke(2));
      int[] prev = null;
      for (SolverBenchmark.Row r : series) {
        int px = px(Math.log10(r.nfe()), xMin, xMax, x0);
        int py = py(Math.log10(metric.value().applyAsDouble(r)), yMin, yMax, y0);
        g.fillOval(px - 4, py - 4, 8, 8);
        if (prev != null) {
          g.drawLine(prev[0], prev[1], px, py);
        }
        prev = new int[] {px, py};
      }
    }
    SolverBenchmark.Row pc = rows.stream().filter(r -> r.family().startsWith("PC") && r.nfe() == 2000).findFirst()
        .orElse(null);
    if (pc != null) {
      double v = metric.value().applyAsDouble(pc);
      if (v > 0 && Double.isFinite(v)) {
        int py = py(Math.log10(v), yMin, yMax, y0);
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        g.drawLine(x0, py, x0 + PANEL_W, py);
      }
    }
  }

  private static int px(double v, double min, double max, int x0) {
    return x0 + (int) Math.round((v - min) / (max - min) * PANEL_W);
  }

  private static int py(double v, double min, double max, int y0) {
    return y0 + PANEL_H - (int) Math.round((v - min) / (max - min) * PANEL_H);
  }
}
