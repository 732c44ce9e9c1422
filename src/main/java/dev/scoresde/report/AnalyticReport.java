package dev.scoresde.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.eval.SlicedWasserstein;
import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.PredictorKind;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.StepSizeScope;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.ProbabilityFlowSettings;
import dev.scoresde.sampling.settings.SamplerKind;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every sampler at the paper's settings on an analytic Gaussian mixture, under each SDE, with the exact
 * score: NFE, wall time and the error against the exact data distribution (sliced Wasserstein distance to
 * fresh exact draws, next to the same distance between two exact sample sets — the floor — and the largest
 * error of the component weights, assigning each sample to its most probable component at t = ε). Then
 * the controllable-generation rows ({@link ControlReport}).
 */
public final class AnalyticReport {
  /** The controllable-generation rows use at most this many samples and this many PC levels by default. */
  public static final int CONTROL_SAMPLES = 300;
  public static final int CONTROL_STEPS = 200;

  private final int samples;
  private final int steps;
  private final int controlSteps;
  private final PrintStream out;

  public AnalyticReport(int samples, PrintStream out) {
    this(samples, 0, CONTROL_STEPS, out);
  }

  /**
   * @param steps when > 0, every PC sampler runs that many steps instead of the paper's N (for quick checks)
   * @param controlSteps PC levels of the controllable-generation rows ({@link ControlReport})
   */
  public AnalyticReport(int samples, int steps, int controlSteps, PrintStream out) {
    this.steps = steps;
    this.samples = samples;
    this.controlSteps = controlSteps;
    this.out = out;
  }

  /** The 2-D test mixture: three components, unequal weights, one correlated covariance. */
  public static GaussianMixture mixture2d() {
    double[][][] cov = {
      {{0.30, 0.20}, {0.20, 0.40}},
      {{0.10, 0.00}, {0.00, 0.60}},
      {{0.25, -0.10}, {-0.10, 0.15}}
    };
    return GaussianMixture.of(new double[] {0.5, 0.3, 0.2}, new double[][] {{2, 1}, {-2, 0.5}, {0, -2}}, cov);
  }

  /** The paper's samplers under one SDE: predictor × corrector pairs and the probability-flow ODE. */
  static List<SamplerSettings> paperSamplers(SdeKind kind) {
    PcSettings base = SamplerSettings.defaults(kind);
    List<SamplerSettings> list = new ArrayList<>();
    for (PredictorKind p : List.of(PredictorKind.EULER_MARUYAMA, PredictorKind.REVERSE_DIFFUSION,
        PredictorKind.ANCESTRAL, PredictorKind.NONE)) {
      if (p == PredictorKind.ANCESTRAL && kind == SdeKind.SUBVP) {
        continue; // ancestral sampling is defined for the SMLD and DDPM chains only
      }
      for (CorrectorKind c : List.of(CorrectorKind.NONE, CorrectorKind.LANGEVIN)) {
        if (p == PredictorKind.NONE && c == CorrectorKind.NONE) {
          continue;
        }
        // corrector first: never none + none in between. The reference's Langevin step size uses batch means
        // of the norms; our per-row default (batch-independent results) is listed too, since in d = 2 it differs.
        list.add(pc(base, p, c, StepSizeScope.BATCH));
        if (c != CorrectorKind.NONE) {
          list.add(pc(base, p, c, StepSizeScope.PER_ROW));
        }
      }
    }
    list.add(new ProbabilityFlowSettings(ProbabilityFlowSettings.PAPER_TOLERANCE,
        ProbabilityFlowSettings.PAPER_TOLERANCE, base.endpoints()));
    return list;
  }

  private static PcSettings pc(PcSettings base, PredictorKind p, CorrectorKind c, StepSizeScope scope) {
    return new PcSettings(SamplerKind.PC, p, c, base.steps(), base.snr(), base.correctorSteps(), scope, base.order(),
        base.endpoints());
  }

  public void run() {
    GaussianMixture mix = mixture2d();
    out.printf(Locale.ROOT, "Analytic report: 2-D Gaussian mixture (3 components), %d samples per sampler, exact score%n%n",
        samples);
    out.println("| SDE | sampler | predictor | corrector | NFE | wall s | SW₁ to exact | SW₁ floor | max weight error |");
    out.println("|---|---|---|---|---:|---:|---:|---:|---:|");
    for (Sde sde : List.of(VeSde.paper(), VpSde.paper(), SubVpSde.paper())) {
      try (NDManager m = NDManager.newBaseManager()) {
        GaussianMixtureScore oracle = new GaussianMixtureScore(mix, sde);
        float[][] exactA = SlicedWasserstein.rows(mix.sample(m, samples, Rng.of(1001, samples)).x().toFloatArray(), 2);
        float[][] exactB = SlicedWasserstein.rows(mix.sample(m, samples, Rng.of(1002, samples)).x().toFloatArray(), 2);
        double floor = SlicedWasserstein.between(exactA, exactB, 64, 7);
        for (SamplerSettings paper : paperSamplers(sde.kind())) {
          SamplerSettings s = steps > 0 && paper instanceof PcSettings pc ? pc.withSteps(steps) : paper;
          Rng rng = Rng.of(42, samples);
          NDArray xT = s.drawPrior(sde, m, new Shape(samples, 2), rng);
          long t0 = System.nanoTime();
          SampleResult r = s.toSampler().sample(oracle, sde, xT, SamplingContext.of(rng));
          double wall = (System.nanoTime() - t0) / 1e9;
          float[][] got = SlicedWasserstein.rows(r.samples().toFloatArray(), 2);
          double sw = SlicedWasserstein.between(got, exactA, 64, 7);
          double weightError = weightError(oracle, r.samples(), sde.samplingEps(), mix);
          out.printf(Locale.ROOT, "| %s | %s | %s | %s | %d | %.2f | %.4f | %.4f | %.4f |%n", sde.kind().id(),
              s.kind().id(), s instanceof PcSettings pc ? pc.predictor().id() : "—",
              s instanceof PcSettings pc ? corrector(pc) : "—", r.nfe(), wall, sw, floor, weightError);
          r.samples().close();
          xT.close();
        }
      }
    }
    new ControlReport(Math.min(samples, CONTROL_SAMPLES), controlSteps, out).run();
  }

  private static String corrector(PcSettings s) {
    if (s.corrector() == CorrectorKind.NONE) {
      return s.corrector().id();
    }
    return s.corrector().id() + (s.stepSizeScope() == StepSizeScope.PER_ROW ? " (per-row step)" : " (batch step)");
  }

  /** max_k |fraction of samples whose most probable component is k − π_k|. */
  static double weightError(GaussianMixtureScore oracle, NDArray x, double t, GaussianMixture mix) {
    NDArray tt = x.getManager().full(new Shape(x.getShape().get(0)), (float) t);
    int[] counts = new int[mix.components()];
    long[] arg = oracle.posterior(x, tt).argMax(1).toLongArray();
    for (long a : arg) {
      counts[(int) a]++;
    }
    double worst = 0;
    for (int k = 0; k < counts.length; k++) {
      worst = Math.max(worst, Math.abs(counts[k] / (double) arg.length - mix.weight(k)));
    }
    return worst;
  }
}
