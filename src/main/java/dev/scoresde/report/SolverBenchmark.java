package dev.scoresde.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.eval.FrechetDistance;
import dev.scoresde.eval.SlicedWasserstein;
import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.ProbabilityFlowSampler;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.StepSizeScope;
import dev.scoresde.sampling.settings.DdimSettings;
import dev.scoresde.sampling.settings.DpmSolverSettings;
import dev.scoresde.sampling.settings.Endpoints;
import dev.scoresde.sampling.settings.HeunSettings;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.ProbabilityFlowSettings;
import dev.scoresde.sampling.settings.SamplerKind;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Error against the exact answer versus NFE for every sampler on the analytic mixtures (d = 2 and a
 * structured d = 64) under the paper's VP SDE, all from the same prior draws x_T and with the exact score:
 * the paper's PC sampler (reverse diffusion + Langevin, r = 0.16) at N = 1000 and 2000, Euler–Maruyama at
 * N = 1000, RK45 at tolerance 1e-5, DPM-Solver++ 2M/3M at 10/15/20/50 NFE, SDE-DPM-Solver++(2M) at 20/50,
 * Heun at 18/35, DDIM at 10/20/50. Distributional errors (every sampler): sliced W₁ to fresh exact draws,
 * Fréchet distance of the samples' moments to the mixture's exact mean and covariance, largest component
 * weight error — each next to its floor (the same statistic for exact draws of the same size). Path error
 * (ODE solvers): RMS distance to the flow's solution from the same x_T by RK45 at 1e-6.
 */
public final class SolverBenchmark {
  private final int samples2;
  private final int samples64;
  private final List<String> mixtures;
  private final boolean skipSlow;
  private final PrintStream out;

  /**
   * @param mixtures which of "d2", "d64" to run
   * @param skipSlow leave out Euler–Maruyama and PC (their rows do not change: every run is seeded)
   */
  public SolverBenchmark(int samples2, int samples64, List<String> mixtures, boolean skipSlow, PrintStream out) {
    this.samples2 = samples2;
    this.samples64 = samples64;
    this.mixtures = mixtures;
    this.skipSlow = skipSlow;
    this.out = out;
  }

  /** One benchmarked sampler: its family (a line of the plot), its settings, and whether it is an ODE solver. */
  record Entry(String family, SamplerSettings settings, boolean deterministic) {}

  /** One result row; path = NaN for stochastic samplers. */
  record Row(String mixture, String family, String label, int nfe, double wall, double sw, double fd,
      double weight, double path, double pathMedian) {

    /** A row back from its printed table line ({@link #format}), or null for any other line. */
    static Row parse(String line) {
      String[] f = line.replace("  … ", "").split("\\|");
      if (f.length < 10 || !f[1].trim().startsWith("d=")) {
        return null;
      }
      return new Row(f[1].trim(), f[2].trim(), f[3].trim(), Integer.parseInt(f[4].trim()), Double.parseDouble(f[5].trim()),
          Double.parseDouble(f[6].trim()), Double.parseDouble(f[7].trim()), Double.parseDouble(f[8].trim()), number(f[9]),
          f.length > 10 ? number(f[10]) : Double.NaN);
    }

    private static double number(String field) {
      String v = field.trim();
      return v.equals("—") || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
    }
  }

  /** The floors of one mixture's distributional statistics. */
  record Floors(double sw, double fd, double weight) {}

  static List<Entry> entries() {
    PcSettings vp = SamplerSettings.defaults(SdeKind.VP);
    Endpoints plain = vp.endpoints().withDenoising(Denoising.NONE);
    PcSettings pc = new PcSettings(SamplerKind.PC, PredictorKind.REVERSE_DIFFUSION, CorrectorKind.LANGEVIN, 1000, 0.16,
        1, StepSizeScope.BATCH, vp.order(), vp.endpoints());
    List<Entry> list = new ArrayList<>();
    // cheapest first, so that a run cut short still has the fast solvers
    for (SamplerKind k : List.of(SamplerKind.DPM_SOLVER_2M, SamplerKind.DPM_SOLVER_3M, SamplerKind.UNIPC)) {
      for (int n : new int[] {10, 15, 20, 50}) {
        list.add(new Entry(k.id(), new DpmSolverSettings(k, n, null, plain), true));
      }
    }
    for (int n : new int[] {20, 50}) {
      list.add(new Entry("sde-dpm-solver++2m", new DpmSolverSettings(SamplerKind.SDE_DPM_SOLVER_2M, n, null, plain),
          false));
    }
    list.add(new Entry("heun", new HeunSettings(9, null, 0, plain), true)); // 18 NFE
    list.add(new Entry("heun", new HeunSettings(17, null, 0, plain.withDenoising(Denoising.TWEEDIE)), true)); // 35 NFE: EDM's
    for (int n : new int[] {10, 20, 50}) {
      list.add(new Entry("ddim", new DdimSettings(n, null, 0, plain), true));
    }
    list.add(new Entry("RK45 (tol 1e-5)", new ProbabilityFlowSettings(1e-5, 1e-5, plain), true));
    list.add(new Entry("Euler–Maruyama", vp.predictorAlone(), false));
    list.add(new Entry("PC (RD + Langevin)", pc, false));
    list.add(new Entry("PC (RD + Langevin)", pc.withSteps(2000), false));
    return list;
  }

  public List<Row> run() {
    List<Row> rows = new ArrayList<>();
    List<String> floors = new ArrayList<>();
    record Case(String name, GaussianMixture mixture, int n) {}
    List<Case> cases = new ArrayList<>();
    if (mixtures.contains("d2")) {
      cases.add(new Case("d=2", AnalyticReport.mixture2d(), samples2));
    }
    if (mixtures.contains("d64")) {
      cases.add(new Case("d=64", BenchMixtures.structured64(), samples64));
    }
    for (Case c : cases) {
      VpSde sde = VpSde.paper();
      int d = c.mixture().dimension();
      try (NDManager m = NDManager.newBaseManager()) {
        GaussianMixtureScore oracle = new GaussianMixtureScore(c.mixture(), sde);
        float[][] exactA = SlicedWasserstein.rows(c.mixture().sample(m, c.n(), Rng.of(1001, c.n())).x().toFloatArray(), d);
        NDArray exactB = c.mixture().sample(m, c.n(), Rng.of(1002, c.n())).x();
        FrechetDistance.Moments truth = exactMoments(c.mixture());
        Floors floor = new Floors(SlicedWasserstein.between(SlicedWasserstein.rows(exactB.toFloatArray(), d), exactA, 64, 7),
            FrechetDistance.between(moments(exactB, d), truth),
            AnalyticReport.weightError(oracle, exactB, sde.samplingEps(), c.mixture()));
        floors.add(String.format(Locale.ROOT, "%s: n = %d, floors: SW₁ %.4f, FD %.4f, weight %.4f", c.name(), c.n(),
            floor.sw(), floor.fd(), floor.weight()));
        out.println("  … " + floors.get(floors.size() - 1));
        NDArray xT = Endpoints.paper(SdeKind.VP).drawPrior(sde, m, new Shape(c.n(), d), Rng.of(42, c.n()));
        NDArray reference = new ProbabilityFlowSampler(OdeOptions.of(1e-6, 1e-6), sde.samplingEps(), Denoising.NONE)
            .sample(oracle, sde, xT, SamplingContext.of(Rng.of(0, c.n()))).samples();
        NDArray referenceTweedie = Denoising.tweedie(oracle, sde, reference, sde.samplingEps());
        for (Entry e : entries()) {
          if (skipSlow && e.settings() instanceof PcSettings) {
            continue;
          }
          try (NDManager scope = m.newSubManager()) {
            NDArray start = xT.duplicate();
            start.attach(scope);
            long t0 = System.nanoTime();
            SampleResult r = e.settings().toSampler().sample(oracle, sde, start, SamplingContext.of(Rng.of(43, c.n())));
            double wall = (System.nanoTime() - t0) / 1e9;
            NDArray x = r.samples();
            double sw = SlicedWasserstein.between(SlicedWasserstein.rows(x.toFloatArray(), d), exactA, 64, 7);
            double fd = FrechetDistance.between(moments(x, d), truth);
            double weight = AnalyticReport.weightError(oracle, x, sde.samplingEps(), c.mixture());
            double[] path = !e.deterministic() ? new double[] {Double.NaN, Double.NaN}
                : pathErrors(x, e.settings().endpoints().denoising() == Denoising.TWEEDIE ? referenceTweedie : reference, d);
            Row row = new Row(c.name(), e.family(), label(e.settings()), r.nfe(), wall, sw, fd, weight, path[0], path[1]);
            rows.add(row);
            out.println("  … " + format(row));
          }
        }
      }
    }
    print(rows, floors);
    return rows;
  }

  /** The table, the floors and the smallest NFE at which each fast solver matches the PC sampler at 2000 NFE. */
  private void print(List<Row> rows, List<String> floors) {
    out.println();
    out.println("| mixture | sampler | settings | NFE | wall s | SW₁ | FD to exact moments | max weight error "
        + "| path RMS vs RK45 1e-6 | median row path error |");
    out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(r -> out.println(format(r)));
    out.println();
    floors.forEach(f -> out.println("- " + f));
    out.println();
    for (String mixture : rows.stream().map(Row::mixture).distinct().toList()) {
      Row pc = rows.stream().filter(r -> r.mixture().equals(mixture) && r.family().startsWith("PC") && r.nfe() == 2000)
          .findFirst().orElse(null);
      if (pc == null) {
        continue;
      }
      for (String family : rows.stream().map(Row::family).distinct().filter(f -> !f.startsWith("PC")).toList()) {
        List<Row> own = rows.stream().filter(r -> r.mixture().equals(mixture) && r.family().equals(family)).toList();
        out.printf(Locale.ROOT, "- %s %s: matches PC at 2000 NFE (SW₁ %.4f, FD %.4f) in SW₁ from NFE %s, in FD from NFE %s%n",
            mixture, family, pc.sw(), pc.fd(), smallest(own, r -> r.sw() <= pc.sw()), smallest(own, r -> r.fd() <= pc.fd()));
      }
    }
  }

  private static String format(Row r) {
    return String.format(Locale.ROOT, "| %s | %s | %s | %d | %.1f | %.4f | %.4f | %.4f | %s | %s |", r.mixture(),
        r.family(), r.label(), r.nfe(), r.wall(), r.sw(), r.fd(), r.weight(), sci(r.path()), sci(r.pathMedian()));
  }

  private static String sci(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2e", v);
  }

  private static String smallest(List<Row> rows, java.util.function.Predicate<Row> ok) {
    return rows.stream().filter(ok).mapToInt(Row::nfe).min().stream().mapToObj(Integer::toString).findFirst()
        .orElse("— (not within the budgets run)");
  }

  static String label(SamplerSettings s) {
    if (s instanceof PcSettings pc) {
      return "N = " + pc.steps();
    }
    if (s instanceof ProbabilityFlowSettings f) {
      return "rtol = atol = " + f.rtol();
    }
    return s.fields().steps() + " steps, " + s.fields().timeGrid()
        + (s.endpoints().denoising() == Denoising.TWEEDIE ? ", Tweedie" : "");
  }

  static FrechetDistance.Moments exactMoments(GaussianMixture g) {
    int d = g.dimension();
    double[] mean = g.overallMean();
    double[][] cov = new double[d][d];
    for (int k = 0; k < g.components(); k++) {
      double[][] ck = g.covariance(k);
      double[] mk = g.mean(k);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          cov[i][j] += g.weight(k) * (ck[i][j] + mk[i] * mk[j]);
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        cov[i][j] -= mean[i] * mean[j];
      }
    }
    return new FrechetDistance.Moments(mean, cov);
  }

  private static FrechetDistance.Moments moments(NDArray x, int d) {
    float[] f = x.toFloatArray();
    double[][] rows = new double[f.length / d][d];
    for (int i = 0; i < f.length; i++) {
      rows[i / d][i % d] = f[i];
    }
    return FrechetDistance.Moments.of(rows);
  }

  /**
   * {RMS over all elements, median over rows of the per-coordinate RMS}: a row near the boundary between
   * two modes' basins can land in the other mode (an error of the modes' distance), which dominates the
   * RMS over thousands of rows; the median shows the typical row.
   */
  private static double[] pathErrors(NDArray a, NDArray b, int d) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double total = 0;
    double[] perRow = new double[x.length / d];
    for (int i = 0; i < x.length; i++) {
      double e = (x[i] - (double) y[i]) * (x[i] - (double) y[i]);
      total += e;
      perRow[i / d] += e / d;
    }
    java.util.Arrays.sort(perRow);
    return new double[] {Math.sqrt(total / x.length), Math.sqrt(perRow[perRow.length / 2])};
  }

  /**
   * The table rows in the output files {@code args[from..]} ({@code parse} gives null for any other line); a later
   * row with the same key replaces an earlier one (progress lines and the final table repeat rows).
   */
  static <R> List<R> readRows(String[] args, int from, java.util.function.Function<String, R> parse,
      java.util.function.Function<R, String> key) throws IOException {
    java.util.Map<String, R> rows = new java.util.LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      java.nio.file.Files.readAllLines(Path.of(args[i])).stream().map(parse).filter(java.util.Objects::nonNull)
          .forEach(r -> rows.put(key.apply(r), r));
    }
    return List.copyOf(rows.values());
  }

  /**
   * Without Spring: {@code java -cp … dev.scoresde.report.SolverBenchmark [n2 n64 plot.png d2,d64]}, or
   * {@code … SolverBenchmark --plot-from plot.png run1.log run2.log …} to draw one plot from the table rows
   * of separate runs (one mixture each).
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 2 && args[0].equals("--plot-from")) {
      ErrorPlot.write(readRows(args, 2, Row::parse, r -> r.mixture() + r.family() + r.label()), Path.of(args[1]));
      return;
    }
    int n2 = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int n64 = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Path plot = Path.of(args.length > 2 ? args[2] : "docs/solvers.png");
    List<String> mixtures = List.of((args.length > 3 ? args[3] : "d2,d64").split(","));
    List<Row> rows = new SolverBenchmark(n2, n64, mixtures, false, System.out).run();
    ErrorPlot.write(rows, plot);
    System.out.println("plot: " + plot);
  }
}
