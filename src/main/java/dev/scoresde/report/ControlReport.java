package dev.scoresde.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.control.ClassifierFreeGuidance;
import dev.scoresde.control.ClassifierGuidance;
import dev.scoresde.control.Colorization;
import dev.scoresde.control.Inpainting;
import dev.scoresde.control.LatentInterpolation;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.likelihood.ProbabilityFlowCodec;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.NoneCorrector;
import dev.scoresde.sampling.PcSampler;
import dev.scoresde.sampling.ProbabilityFlowSampler;
import dev.scoresde.sampling.ReverseDiffusionPredictor;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.StateConstraint;
import dev.scoresde.sampling.ode.OdeOptions;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Controllable generation (Song et al. 2021, Section 5, Appendix I; latent interpolation, Section 4.3) on
 * analytic mixtures with the exact score and the exact class posterior as classifier: NFE, wall time, the
 * fraction of samples in the intended component, and the constraint's error (largest deviation of the
 * known pixels or the gray channel in the sampler's output, before {@code finish}; the end-frame round trip
 * for interpolation). PC rows use reverse diffusion without corrector on {@code steps} levels; ODE rows
 * rtol = atol = 1e-4.
 */
public final class ControlReport {
  private final int samples;
  private final int steps;
  private final PrintStream out;

  public ControlReport(int samples, int steps, PrintStream out) {
    if (samples < 3 || steps < 2) {
      throw new IllegalArgumentException("need at least 3 samples and 2 steps, got " + samples + ", " + steps);
    }
    this.samples = samples - samples % 3;
    this.steps = steps;
    this.out = out;
  }

  /** d = 2, three classes ≥ 4.6 apart. */
  static GaussianMixture classes() {
    double[][][] cov = {{{0.5, 0.25}, {0.25, 0.4}}, {{0.3, 0}, {0, 0.3}}, {{0.4, 0}, {0, 0.25}}};
    return GaussianMixture.of(new double[] {0.5, 0.3, 0.2}, new double[][] {{-3, 0}, {3, 1}, {0, -3.5}}, cov);
  }

  /** d = 4: coordinates 0–1 observed (means ≥ 9.4 apart), 2–3 filled in (≥ 6 apart). */
  static GaussianMixture blocks() {
    double[][] means = {{-5, 3, 3, -3}, {5, 3, -3, 3}, {0, -5, 3, 3}};
    double[][] vars = {{0.3, 0.4, 0.5, 0.4}, {0.4, 0.3, 0.3, 0.5}, {0.35, 0.35, 0.4, 0.3}};
    return GaussianMixture.diagonal(new double[] {0.4, 0.35, 0.25}, means, vars);
  }

  /** (3, 2, 2) colour images: a brightness pattern per component (visible in gray) and a hue (invisible). */
  static GaussianMixture colours() {
    double[][] pattern = {{1.5, 1.5, -1.5, -1.5}, {1.5, -1.5, 1.5, -1.5}, {-1.5, 1.5, 1.5, -1.5}};
    double[][] means = new double[3][12];
    double[][] vars = new double[3][12];
    for (int k = 0; k < 3; k++) {
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 4; p++) {
          means[k][4 * c + p] = pattern[k][p] + (c == k ? 1.2 : -0.6);
          vars[k][4 * c + p] = 0.25;
        }
      }
    }
    return GaussianMixture.diagonal(new double[] {0.3, 0.3, 0.4}, means, vars);
  }

  public void run() {
    out.printf(Locale.ROOT, "%nControllable generation: exact mixture scores and class posteriors, %d samples, PC = reverse"
        + " diffusion on %d levels, ODE rtol = atol = 1e-4%n%n", samples, steps);
    out.println("| operation | SDE | sampler | NFE | wall s | right component | constraint error |");
    out.println("|---|---|---|---:|---:|---:|---:|");
    for (Sde sde : List.of(VeSde.paper(), VpSde.paper(), SubVpSde.paper())) {
      Sampler pc = new PcSampler(new ReverseDiffusionPredictor(), new NoneCorrector(), steps, sde.samplingEps(),
          PcSampler.Order.CORRECTOR_FIRST, Denoising.MEAN);
      guidance(sde, pc, "pc");
      classifierFree(sde, pc);
      inpainting(sde, pc, "pc");
      colorization(sde, pc);
    }
    Sde vp = VpSde.paper();
    ProbabilityFlowSampler ode = new ProbabilityFlowSampler(OdeOptions.of(1e-4, 1e-4), vp.samplingEps(),
        Denoising.TWEEDIE, 20);
    guidance(vp, ode, "ode");
    inpainting(vp, ode, "ode (20 pieces)");
    interpolation(vp);
  }

  private void guidance(Sde sde, Sampler sampler, String name) {
    GaussianMixture g = classes();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    int[] labels = cyclic(samples);
    ScoreModel guided = new ClassifierGuidance(oracle, oracle::logPosterior, labels, 1);
    runClassRow("classifier guidance, w = 1", sde, sampler, name, g, guided, labels);
  }

  private void classifierFree(Sde sde, Sampler sampler) {
    GaussianMixture g = classes();
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    int[] labels = cyclic(samples);
    runClassRow("classifier-free guidance, w = 1", sde, sampler, "pc", g,
        new ClassifierFreeGuidance(oracle.asConditional(), labels, 1), labels);
  }

  private void runClassRow(String what, Sde sde, Sampler sampler, String name, GaussianMixture g, ScoreModel model,
      int[] labels) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xT = sde.priorSample(m, new Shape(samples, 2), Rng.of(5, samples));
      long t0 = System.nanoTime();
      SampleResult r = sampler.sample(model, sde, xT, SamplingContext.of(Rng.of(6, samples)));
      double wall = (System.nanoTime() - t0) / 1e9;
      row(what, sde, name, r.nfe(), wall, accuracy(classify(g, sde, r.samples()), labels), Double.NaN);
    }
  }

  private void inpainting(Sde sde, Sampler sampler, String name) {
    GaussianMixture g = blocks();
    try (NDManager m = NDManager.newBaseManager()) {
      GaussianMixture.Draws obs = g.sample(m, samples, Rng.of(31, samples));
      NDArray mask = m.create(new float[] {1, 1, 0, 0}, new Shape(1, 4));
      NDArray xT = sde.priorSample(m, new Shape(samples, 4), Rng.of(32, samples));
      long t0 = System.nanoTime();
      SampleResult r = constrained(sampler, new GaussianMixtureScore(g, sde), sde, xT, new Inpainting(obs.x(), mask));
      double wall = (System.nanoTime() - t0) / 1e9;
      double known = r.samples().get(":, 0:2").sub(obs.x().get(":, 0:2")).abs().max().getFloat();
      int[] got = classify(marginal(g, 2, 4), sde, r.samples().get(":, 2:4"));
      row("inpainting (2 of 4 coordinates known)", sde, name, r.nfe(), wall, accuracy(got, obs.labels()), known);
    }
  }

  private void colorization(Sde sde, Sampler sampler) {
    GaussianMixture g = colours();
    try (NDManager m = NDManager.newBaseManager()) {
      GaussianMixture.Draws obs = g.sample(m, samples, Rng.of(41, samples));
      NDArray gray = Colorization.grayOf(obs.x().reshape(samples, 3, 2, 2));
      NDArray xT = sde.priorSample(m, new Shape(samples, 3, 2, 2), Rng.of(42, samples));
      long t0 = System.nanoTime();
      SampleResult r = constrained(sampler, new GaussianMixtureScore(g, sde), sde, xT, new Colorization(gray));
      double wall = (System.nanoTime() - t0) / 1e9;
      double error = Colorization.grayOf(r.samples()).sub(gray).abs().max().getFloat();
      // The hue is invisible in gray: classify the chroma coordinates alone.
      NDArray chroma = Colorization.decouple(r.samples()).get(":, 1:3").reshape(samples, 8);
      int[] got = classify(chroma(g, m), sde, chroma);
      row("colorization (3×2×2)", sde, "pc", r.nfe(), wall, accuracy(got, obs.labels()), error);
    }
  }

  private void interpolation(Sde sde) {
    GaussianMixture g = classes();
    ProbabilityFlowCodec codec = ProbabilityFlowCodec.of(sde, new GaussianMixtureScore(g, sde),
        LikelihoodSettings.defaults());
    try (NDManager m = NDManager.newBaseManager()) {
      float[] a = {-3.2f, 0.4f};
      float[] b = {2.7f, 1.3f};
      for (LatentInterpolation.Path path : LatentInterpolation.Path.values()) {
        long t0 = System.nanoTime();
        LatentInterpolation.Result r = new LatentInterpolation(codec)
            .interpolate(m.create(a, new Shape(1, 2)), m.create(b, new Shape(1, 2)), 9, path);
        double wall = (System.nanoTime() - t0) / 1e9;
        float[] f = r.frames().toFloatArray();
        double e = Math.max(Math.hypot(f[0] - a[0], f[1] - a[1]) / Math.hypot(a[0], a[1]),
            Math.hypot(f[16] - b[0], f[17] - b[1]) / Math.hypot(b[0], b[1]));
        row("interpolation, " + path.id() + ", 9 frames (end-frame rel. error)", sde, "ode codec", r.nfe(), wall,
            Double.NaN, e);
      }
    }
  }

  private static SampleResult constrained(Sampler sampler, ScoreModel score, Sde sde, NDArray xT, StateConstraint c) {
    int n = Math.toIntExact(xT.getShape().get(0));
    return sampler.sample(score, sde, xT, SamplingContext.of(Rng.of(33, n)).withConstraint(c));
  }

  private void row(String what, Sde sde, String sampler, int nfe, double wall, double accuracy, double error) {
    out.printf(Locale.ROOT, "| %s | %s | %s | %d | %.2f | %s | %s |%n", what, sde.kind().id(), sampler, nfe, wall,
        Double.isNaN(accuracy) ? "—" : String.format(Locale.ROOT, "%.4f", accuracy),
        Double.isNaN(error) ? "—" : String.format(Locale.ROOT, "%.1e", error));
  }

  private static int[] cyclic(int n) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
    }
    return y;
  }

  private static int[] classify(GaussianMixture g, Sde sde, NDArray x) {
    NDArray post = new GaussianMixtureScore(g, sde).posterior(x, Times.filled(x, sde.samplingEps()));
    return Arrays.stream(post.argMax(1).toLongArray()).mapToInt(Math::toIntExact).toArray();
  }

  private static double accuracy(int[] got, int[] want) {
    int hits = 0;
    for (int i = 0; i < got.length; i++) {
      hits += got[i] == want[i] ? 1 : 0;
    }
    return hits / (double) got.length;
  }

  /**
   * The mixture of the chroma coordinates (decoupled channels 1–2) of {@link #colours()}: M is orthogonal
   * and each pixel has the same variance in its three channels, so the chroma keep that variance.
   */
  private static GaussianMixture chroma(GaussianMixture g, NDManager m) {
    double[] w = new double[g.components()];
    double[][] mu = new double[w.length][8];
    double[][] var = new double[w.length][8];
    for (int k = 0; k < w.length; k++) {
      w[k] = g.weight(k);
      double[] mean = g.mean(k);
      float[] f = new float[mean.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) mean[i];
      }
      float[] c = Colorization.decouple(m.create(f, new Shape(1, 3, 2, 2))).get(":, 1:3").toFloatArray();
      double[][] cov = g.covariance(k);
      for (int i = 0; i < 8; i++) {
        mu[k][i] = c[i];
        var[k][i] = cov[i % 4][i % 4];
      }
    }
    return GaussianMixture.diagonal(w, mu, var);
  }

  /** The marginal mixture of the diagonal coordinates [from, to). */
  private static GaussianMixture marginal(GaussianMixture g, int from, int to) {
    double[] w = new double[g.components()];
    double[][] mu = new double[w.length][];
    double[][] var = new double[w.length][to - from];
    for (int k = 0; k < w.length; k++) {
      w[k] = g.weight(k);
      mu[k] = Arrays.copyOfRange(g.mean(k), from, to);
      double[][] c = g.covariance(k);
      for (int i = from; i < to; i++) {
        var[k][i - from] = c[i][i];
      }
    }
    return GaussianMixture.diagonal(w, mu, var);
  }
}
