package dev.scoresde.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.control.Colorization;
import dev.scoresde.control.MeasurementGuidance;
import dev.scoresde.likelihood.BitsPerDim;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;
import java.io.PrintStream;
import java.util.Locale;

/**
 * How well a 3-channel model colorizes (Song et al. 2021, Appendix I.2): the gray channel of N colour crops is
 * kept and the model samples their colour. Colorization is one-to-many, so no single metric is the answer;
 * this reports, against the crops' true colours:
 * <ul>
 *   <li>PSNR (RGB, 8-bit levels) of the colorized crops, and of the gray crops themselves as the baseline a
 *       colorizer must not fall far below (it scores high on desaturated images, and a plausible but different
 *       colour loses to it);
 *   <li>chroma RMSE: the error on the two chroma axes of the decoupled colour space (the gray axis is
 *       imposed exactly, so this is the whole error), against the gray baseline's, which is the true chroma's RMS;
 *   <li>colourfulness (Hasler and Süsstrunk 2003, M = σ_rgyb + 0.3·μ_rgyb on 0–255) of the true crops and of
 *       the colorized ones: a colorizer that plays safe with sepia and gray scores far below the truth;
 *   <li>optionally bits/dim of the true crops through the probability-flow likelihood.
 * </ul>
 */
public final class ColorizationEvaluation {
  private final ModelCard card;
  private final ScoreModel model;
  private final Sde sde;
  private final Settings settings;

  /**
   * @param batchSize crops per sampler call
   * @param likelihoodImages crops whose bits/dim are measured (0 skips it)
   * @param seed sample i's noise is stream (seed, i); the likelihood's from seed + 1
   * @param measurementGuidance the weight of {@link MeasurementGuidance} by the gray image on top of the
   *     replacement constraint (0: replacement alone, the paper's method)
   */
  public record Settings(int batchSize, SamplerSettings sampler, int likelihoodImages, int likelihoodBatch,
      LikelihoodSettings likelihood, long seed, double measurementGuidance) {
    public Settings {
      if (batchSize < 1 || likelihoodBatch < 1 || likelihoodImages < 0) {
        throw new IllegalArgumentException("batch sizes must be positive and likelihood images ≥ 0");
      }
      if (!(measurementGuidance >= 0) || !Double.isFinite(measurementGuidance)) {
        throw new IllegalArgumentException("measurement guidance must be finite and ≥ 0, got " + measurementGuidance);
      }
    }
  }

  /** The numbers of one run; PSNRs in dB (mean over crops), chroma errors and colourfulness on 0–1 / 0–255. */
  public record Report(String model, String crops, String sampler, int n, double psnr, double grayPsnr,
      double chromaRmse, double grayChromaRmse, double colourfulness, double trueColourfulness, double nfe,
      TestBitsPerDim bitsPerDim, int likelihoodImages, double seconds, long seed) {

    public String markdown() {
      StringBuilder b = new StringBuilder();
      b.append("### Colorization by ").append(model).append("\n\n| quantity | value |\n|---|---|\n");
      row(b, "crops", crops);
      row(b, "sampler", sampler);
      row(b, "crops N", Integer.toString(n));
      row(b, "PSNR of the colorized crops (RGB, 8-bit)", f("%.2f dB", psnr));
      row(b, "PSNR of the gray crops (baseline: no colour)", f("%.2f dB", grayPsnr));
      row(b, "chroma RMSE, colorized / gray baseline (values in [0, 1])", f("%.4f / %.4f", chromaRmse, grayChromaRmse));
      row(b, "chroma RMSE an exact posterior sampler stays below (√2 × gray baseline)",
          f("%.4f (colorized: %.2f × gray)", exactSamplerBound(), chromaRmse / grayChromaRmse));
      row(b, "colourfulness, colorized / true crops (Hasler–Süsstrunk)", f("%.1f / %.1f", colourfulness,
          trueColourfulness));
      row(b, "bits/dim of the true crops", likelihoodImages == 0 ? "skipped"
          : f("%.3f ± %.3f (%d crops, %.0f NFE per solve)", bitsPerDim.mean(), bitsPerDim.error(), likelihoodImages,
              bitsPerDim.nfe()));
      row(b, "NFE per sampler call", f("%.1f", nfe));
      row(b, "wall time", f("%.0f s", seconds));
      row(b, "seed", Long.toString(seed));
      return b.toString();
    }

    /**
     * A colouring c' drawn from the exact posterior p(c | gray) is independent of the true chroma c given the gray
     * image, so E‖c − c'‖² = 2·E Var(c | gray) ≤ 2·E‖c‖², and E‖c‖² is the gray baseline's squared error: an exact
     * sampler's chroma RMSE is at most √2 times the baseline's (equal when the gray image says nothing of colour).
     */
    public double exactSamplerBound() {
      return Math.sqrt(2) * grayChromaRmse;
    }

    private static void row(StringBuilder b, String name, String value) {
      b.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
  }

  /** @param model the score model of {@code sde} (inference mode), e.g. a {@code NetworkScoreModel} */
  public ColorizationEvaluation(ModelCard card, ScoreModel model, Sde sde, Settings settings) {
    if (card.data().channels() != 3 || !card.data().isImage()) {
      throw new IllegalArgumentException("colorization needs a 3-channel image model; " + card.name() + " makes "
          + card.data());
    }
    settings.sampler().requireCompatible(card.sde().toSde().kind());
    this.card = card;
    this.model = model;
    this.sde = sde;
    this.settings = settings;
  }

  /**
   * @param truth (n, 3, size, size) colour crops in the model's value range
   * @param crops what they are, for the report
   * @param grid if not null, receives (truth, gray, colorized) of every crop, in the model's range, in {@code manager}
   */
  public Report run(NDArray truth, String crops, NDManager manager, PrintStream log, NDArray[] grid) {
    long t0 = System.nanoTime();
    int n = Math.toIntExact(truth.getShape().get(0));
    if (!truth.getShape().slice(1).equals(card.data().batchShape(1).slice(1))) {
      throw new IllegalArgumentException("crops must be (n, " + card.data().batchShape(1).slice(1) + "), got "
          + truth.getShape());
    }
    Sums colorized = new Sums();
    Sums gray = new Sums();
    double colourful = 0;
    double trueColourful = 0;
    long nfe = 0;
    int calls = 0;
    Rng all = Rng.of(settings.seed(), n);
    for (int from = 0; from < n; from += settings.batchSize()) {
      int to = Math.min(n, from + settings.batchSize());
      try (NDManager scope = manager.newSubManager()) {
        NDArray x = truth.get(from + ":" + to);
        x.attach(scope);
        Rng rng = all.slice(from, to);
        NDArray grayOnly = Colorization.grayOf(x);
        Colorization colorization = new Colorization(grayOnly);
        NDArray xT = settings.sampler().drawPrior(sde, scope, x.getShape(), rng);
        ScoreModel guided = MeasurementGuidance.colorization(model, sde, grayOnly, settings.measurementGuidance());
        SampleResult r = settings.sampler().toSampler().sample(guided, sde, xT,
            SamplingContext.of(rng).withConstraint(colorization));
        NDArray out = colorization.finish(r.samples());
        nfe += r.nfe();
        calls++;
        NDArray trueUnit = eightBit(x);
        NDArray outUnit = eightBit(out);
        NDArray grayUnit = eightBit(grayOnly.repeat(1, 3));
        colorized.add(outUnit, trueUnit);
        gray.add(grayUnit, trueUnit);
        colourful += colourfulness(outUnit) * (to - from);
        trueColourful += colourfulness(trueUnit) * (to - from);
        if (grid != null) {
          for (int k = 0; k < 3; k++) {
            NDArray part = (k == 0 ? x : k == 1 ? grayOnly.repeat(1, 3) : out).duplicate();
            part.attach(manager);
            grid[k] = grid[k] == null ? part : keep(grid[k].concat(part), manager);
          }
        }
      }
      log.printf("colorized %d/%d (%.0f s)%n", to, n, (System.nanoTime() - t0) / 1e9);
    }
    TestBitsPerDim bpd = TestBitsPerDim.NONE;
    int m = Math.min(settings.likelihoodImages(), n);
    if (m > 0) {
      try (NDManager scope = manager.newSubManager()) {
        bpd = TestBitsPerDim.measure(sde, model, card.valueRange(), settings.likelihood(), truth.get("0:" + m),
            settings.likelihoodBatch(), settings.seed() + 1, scope, log);
      }
    }
    String method = settings.measurementGuidance() == 0 ? "; replacement of the gray axis"
        : "; replacement of the gray axis and measurement guidance w = " + settings.measurementGuidance();
    return new Report(card.name(), crops, SamplerDescription.of(settings.sampler()) + method, n, colorized.psnr(),
        gray.psnr(),
        colorized.chromaRmse(), gray.chromaRmse(), colourful / n, trueColourful / n, (double) nfe / calls, bpd, m,
        (System.nanoTime() - t0) / 1e9, settings.seed());
  }

  private static NDArray keep(NDArray x, NDManager manager) {
    x.attach(manager);
    return x;
  }

  /** Model range → [0, 1] on 8-bit levels, as a saved PNG holds them. */
  private NDArray eightBit(NDArray x) {
    return Scalars.div(BitsPerDim.quantize(x, card.valueRange()), 255);
  }

  /** Hasler and Süsstrunk (2003): per image σ_rgyb + 0.3·μ_rgyb with rg = R − G, yb = (R + G)/2 − B on 0–255; summed. */
  static double colourfulness(NDArray unit) {
    NDArray x = Scalars.mul(unit, 255);
    NDArray r = x.get(":, 0");
    NDArray g = x.get(":, 1");
    NDArray b = x.get(":, 2");
    long n = x.getShape().get(0);
    NDArray rg = r.sub(g).reshape(n, -1); // (n, pixels); DJL's mean takes one axis
    NDArray yb = Scalars.mul(r.add(g), 0.5).sub(b).reshape(n, -1);
    int[] pixels = {1};
    float[] mrg = rg.mean(pixels).toFloatArray();
    float[] myb = yb.mean(pixels).toFloatArray();
    float[] vrg = rg.sub(rg.mean(pixels, true)).square().mean(pixels).toFloatArray();
    float[] vyb = yb.sub(yb.mean(pixels, true)).square().mean(pixels).toFloatArray();
    double sum = 0;
    for (int i = 0; i < mrg.length; i++) {
      sum += Math.sqrt(vrg[i] + vyb[i]) + 0.3 * Math.sqrt(mrg[i] * mrg[i] + myb[i] * myb[i]);
    }
    return sum / mrg.length;
  }

  /** Running per-crop PSNR and pooled squared chroma error of images in [0, 1]. */
  private static final class Sums {
    double psnr;
    double chromaSquares;
    long chromaCount;
    int images;

    void add(NDArray out, NDArray truth) {
      NDArray diff = out.sub(truth);
      float[] mse = diff.square().reshape(diff.getShape().get(0), -1).mean(new int[] {1}).toFloatArray();
      for (float e : mse) {
        psnr += 10 * Math.log10(1 / Math.max(e, 1e-10));
      }
      images += mse.length;
      NDArray chroma = Colorization.decouple(diff).get(":, 1:3");
      chromaSquares += chroma.square().sum().getFloat();
      chromaCount += chroma.size();
    }

    double psnr() {
      return psnr / images;
    }

    double chromaRmse() {
      return Math.sqrt(chromaSquares / chromaCount);
    }
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
