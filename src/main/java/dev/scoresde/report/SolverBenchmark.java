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
import dev.scoresde.sampling.SamplerKind;
import dev.scoresde.sampling.SamplerSettings;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.StepSizeScope;
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
  private final PrintStream out;

  public SolverBenchmark(int samples2, int samples64, PrintStream out) {
    this.samples2 = samples2;
    this.samples64 = samples64;
    this.out = out;
  }

  /** One benchmarked sampler: its family (a line of the plot), its settings, and whether it is an ODE solver. */
  record Entry(String family, SamplerSettings settings, boolean deterministic) {}

  /** One result row; path = NaN for stochastic samplers. */
  record Row(String mixture, String family, String label, int nfe, double wall, double sw, double fd,
      double weight, double path) {}

  /** The floors of one mixture's distributional statistics. */
  record Floors(double sw, double fd, double weight) {}

  static List<Entry> entries() {
    SamplerSettings vp = SamplerSettings.defaults(SdeKind.VP);
    SamplerSettings pc = vp.withSampler(SamplerKind.PC).withPredictor(PredictorKind.REVERSE_DIFFUSION)
        .withCorrector(CorrectorKind.LANGEVIN).withCorrection(0.16, 1, StepSizeScope.BATCH);
    List<Entry> list = new ArrayList<>();
    list.add(new Entry("PC (RD + Langevin)", pc.withSteps(1000), false));
    list.add(new Entry("PC (RD + Langevin)", pc.withSteps(2000), false));
    list.add(new Entry("Euler–Maruyama", vp.withSampler(SamplerKind.EULER_MARUYAMA).withSteps(1000), false));
    list.add(new Entry("RK45 (tol 1e-5)", vp.withSampler(SamplerKind.ODE).withDenoising(Denoising.NONE), true));
    for (SamplerKind k : List.of(SamplerKind.DPM_SOLVER_2M, SamplerKind.DPM_SOLVER_3M)) {
      for (int n : new int[] {10, 15, 20, 50}) {
        list.add(new Entry(k.id(), vp.withSampler(k).withSteps(n).withDenoising(Denoising.NONE), true));
      }
    }
    for (int n : new int[] {20, 50}) {
      list.add(new Entry("sde-dpm-solver++2m", vp.withSampler(SamplerKind.SDE_DPM_SOLVER_2M).withSteps(n)
          .withDenoising(Denoising.NONE), false));
    }
    SamplerSettings heun = vp.withSampler(SamplerKind.HEUN);
    list.add(new Entry("heun", heun.withSteps(9).withDenoising(Denoising.NONE), true)); // 18 NFE
    list.add(new Entry("heun", heun.withSteps(17).withDenoising(Denoising.TWEEDIE), true)); // 35 NFE: EDM's
    for (int n : new int[] {10, 20, 50}) {
      list.add(new Entry("ddim", vp.withSampler(SamplerKind.DDIM).withSteps(n).withDenoising(Denoising.NONE), true));
    }
    return list;
  }

  public List<Row> run() {
    List<Row> rows = new ArrayList<>();
    List<String> floors = new ArrayList<>();
    record Case(String name, GaussianMixture mixture, int n) {}
    for (Case c : List.of(new Case("d=2", AnalyticReport.mixture2d(), samples2),
        new Case("d=64", BenchMixtures.structured64(), samples64))) {
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
        NDArray xT = SamplerSettings.defaults(SdeKind.VP).drawPrior(sde, m, new Shape(c.n(), d), Rng.of(42, c.n()));
        NDArray reference = new ProbabilityFlowSampler(OdeOptions.of(1e-6, 1e-6), sde.samplingEps(), Denoising.NONE)
            .sample(oracle, sde, xT, SamplingContext.of(Rng.of(0, c.n()))).samples();
        NDArray referenceTweedie = Denoising.tweedie(oracle, sde, reference, sde.samplingEps());
        for (Entry e : entries()) {
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
            double path = !e.deterministic() ? Double.NaN
                : rms(x, e.settings().denoising() == Denoising.TWEEDIE ? referenceTweedie : reference);
            Row row = new Row(c.name(), e.family(), label(e.settings()), r.nfe(), wall, sw, fd, weight, path);
            rows.add(row);
            out.printf(Locale.ROOT, "  … %s %s %s: NFE %d, %.1f s%n", c.name(), row.family(), row.label(), row.nfe(), wall);
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
    out.println("| mixture | sampler | settings | NFE | wall s | SW₁ | FD to exact moments | max weight error | path RMS vs RK45 1e-6 |");
    out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "| %s | %s | %s | %d | %.1f | %.4f | %.4f | %.4f | %s |%n", r.mixture(), r.family(),
          r.label(), r.nfe(), r.wall(), r.sw(), r.fd(), r.weight(),
          Double.isNaN(r.path()) ? "—" : String.format(Locale.ROOT, "%.2e", r.path()));
    }
    out.println();
    floors.forEach(f -> out.println("- " + f));
    out.println();
    for (String mixture : rows.stream().map(Row::mixture).distinct().toList()) {
      Row pc = rows.stream().filter(r -> r.mixture().equals(mixture) && r.family().startsWith("PC") && r.nfe() == 2000)
          .findFirst().orElseThrow();
      for (String family : rows.stream().map(Row::family).distinct().filter(f -> !f.startsWith("PC")).toList()) {
        List<Row> own = rows.stream().filter(r -> r.mixture().equals(mixture) && r.family().equals(family)).toList();
        out.printf(Locale.ROOT, "- %s %s: matches PC at 2000 NFE (SW₁ %.4f, FD %.4f) in SW₁ from NFE %s, in FD from NFE %s%n",
            mixture, family, pc.sw(), pc.fd(), smallest(own, r -> r.sw() <= pc.sw()), smallest(own, r -> r.fd() <= pc.fd()));
      }
    }
  }

  private static String smallest(List<Row> rows, java.util.function.Predicate<Row> ok) {
    return rows.stream().filter(ok).mapToInt(Row::nfe).min().stream().mapToObj(Integer::toString).findFirst()
        .orElse("— (not within the budgets run)");
  }

  static String label(SamplerSettings s) {
    return switch (s.sampler()) {
      case PC, EULER_MARUYAMA -> "N = " + s.steps();
      case ODE -> "rtol = atol = " + s.rtol();
      default -> s.steps() + " steps, " + s.timeGrid().id() + (s.denoising() == Denoising.TWEEDIE ? ", Tweedie" : "");
    };
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

  private static double rms(NDArray a, NDArray b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (x[i] - (double) y[i]) * (x[i] - (double) y[i]);
    }
    return Math.sqrt(s / x.length);
  }

  /** Without Spring: {@code java -cp … dev.scoresde.report.SolverBenchmark [n2 n64 plot.png]}. */
  public static void main(String[] args) throws IOException {
    int n2 = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int n64 = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Path plot = Path.of(args.length > 2 ? args[2] : "docs/solvers.png");
    List<Row> rows = new SolverBenchmark(n2, n64, System.out).run();
    ErrorPlot.write(rows, plot);
    System.out.println("plot: " + plot);
  }
}
