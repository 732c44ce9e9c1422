package dev.scoresde.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.Provenance;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.control.Colorization;
import dev.scoresde.control.ControlMixtures;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.data.FashionMnist;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * The colorization evaluation on 3×2×2 colour "photos" from a Gaussian mixture whose gray pattern tells the
 * component and whose component sets the hue, colorized with the exact score: the hue comes back, so the chroma
 * error falls to that of a fresh draw of the within-component noise, √2·σ, far below the gray baseline's.
 */
class ColorizationEvaluationTest {
  static final int N = 300;
  static final double SIGMA = 0.05;
  static final double HUE = 0.3;
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void exactScoreRecoversTheHueAndBeatsTheGrayBaseline() {
    SdeSpec spec = SdeSpec.vp(0.1, 20, 1000);
    Sde sde = spec.toSde();
    GaussianMixture photos = photos();
    SamplerSettings sampler = SamplerFields.of("sde-dpm-solver++2m", 50).toSettings(SdeKind.VP);
    ColorizationEvaluation.Settings settings = new ColorizationEvaluation.Settings(100, sampler, 0, 1,
        LikelihoodSettings.defaults(), 3, 0);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray truth = photos.sample(m, N, Rng.of(5, N)).x().reshape(new Shape(N, 3, 2, 2));
      NDArray[] grid = new NDArray[3];
      ColorizationEvaluation.Report r = new ColorizationEvaluation(card(spec, 3), new GaussianMixtureScore(photos, sde),
          sde, settings).run(truth, "mixture", m, QUIET, grid);
      System.out.printf("colorization oracle: chroma RMSE %.4f (gray %.4f), PSNR %.2f (gray %.2f), colourfulness %.1f"
          + " (true %.1f), NFE %.0f%n", r.chromaRmse(), r.grayChromaRmse(), r.psnr(), r.grayPsnr(), r.colourfulness(),
          r.trueColourfulness(), r.nfe());
      // In [0, 1] units: a fresh within-component draw differs by √2·σ/2 per chroma coordinate (0.035; a wrong
      // component would add 0.225); the true chroma's RMS is √(|h|²/2 + σ²)/2 for the hue h = (1, −½, −½)·HUE.
      double hue2 = 1.5 * HUE * HUE;
      assertEquals(Math.sqrt(2) * SIGMA / 2, r.chromaRmse(), 0.004, r.toString());
      assertEquals(Math.sqrt(hue2 / 2 + SIGMA * SIGMA) / 2, r.grayChromaRmse(), 0.005, r.toString());
      assertTrue(r.psnr() > r.grayPsnr() + 6, r.toString());
      assertEquals(r.trueColourfulness(), r.colourfulness(), 0.1 * r.trueColourfulness(), r.toString());
      assertEquals(51, r.nfe(), 1);
      assertEquals(N, grid[2].getShape().get(0));
      assertTrue(Colorization.grayOf(grid[1]).sub(grid[1].get(":, 0:1")).abs().max().getFloat() < 1e-6,
          "the grid's middle row is gray");
    }
  }

  /**
   * When the gray image says nothing of colour, an exact posterior sampler meets the bound of
   * {@link ColorizationEvaluation.Report#exactSamplerBound()} with equality: two equally likely components share
   * their gray pattern and carry opposite hues, so the posterior mean chroma is zero and every draw is independent
   * of the truth. A sampler that returned the posterior mean would sit at the gray baseline, 1/√2 of the bound.
   */
  @Test
  void exactSamplerMeetsTheBoundWhenGrayCarriesNoColour() {
    SdeSpec spec = SdeSpec.vp(0.1, 20, 1000);
    Sde sde = spec.toSde();
    double[] pattern = {0.5, -0.5, 0.25, -0.25};
    double[][] means = new double[2][12];
    double[][] vars = new double[2][12];
    for (int k = 0; k < 2; k++) {
      double sign = k == 0 ? 1 : -1;
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 4; p++) {
          means[k][c * 4 + p] = pattern[p] + sign * (c == 0 ? HUE : -HUE / 2);
          vars[k][c * 4 + p] = SIGMA * SIGMA;
        }
      }
    }
    GaussianMixture photos = GaussianMixture.diagonal(new double[] {0.5, 0.5}, means, vars);
    SamplerSettings sampler = SamplerFields.of("sde-dpm-solver++2m", 50).toSettings(SdeKind.VP);
    ColorizationEvaluation.Settings settings = new ColorizationEvaluation.Settings(200, sampler, 0, 1,
        LikelihoodSettings.defaults(), 7, 0);
    int n = 400;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray truth = photos.sample(m, n, Rng.of(8, n)).x().reshape(new Shape(n, 3, 2, 2));
      ColorizationEvaluation.Report r = new ColorizationEvaluation(card(spec, 3), new GaussianMixtureScore(photos, sde),
          sde, settings).run(truth, "mixture", m, QUIET, null);
      System.out.printf("colorization bound oracle: chroma RMSE %.4f, bound %.4f, gray %.4f%n", r.chromaRmse(),
          r.exactSamplerBound(), r.grayChromaRmse());
      assertEquals(Math.sqrt(2) * r.grayChromaRmse(), r.exactSamplerBound(), 1e-12);
      assertEquals(r.exactSamplerBound(), r.chromaRmse(), 0.08 * r.exactSamplerBound(), r.toString());
      assertTrue(r.markdown().contains("√2 × gray baseline"), r.markdown());
    }
  }

  @Test
  void colourfulnessOfGrayIsZeroAndOfPureRedIsKnown() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(0, ColorizationEvaluation.colourfulness(m.full(new Shape(2, 3, 4, 4), 0.4f)), 1e-4);
      NDArray red = m.zeros(new Shape(1, 3, 4, 4));
      red.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 1f);
      // σ = 0; μ_rg = 255, μ_yb = 127.5: 0.3·√(255² + 127.5²)
      assertEquals(0.3 * Math.hypot(255, 127.5), ColorizationEvaluation.colourfulness(red), 1e-3);
    }
  }

  @Test
  void rejectsAGrayModel() {
    SdeSpec spec = SdeSpec.vp(0.1, 20, 1000);
    ColorizationEvaluation.Settings settings = new ColorizationEvaluation.Settings(1,
        SamplerSettings.defaults(SdeKind.VP), 0, 1, LikelihoodSettings.defaults(), 0, 0);
    assertThrows(IllegalArgumentException.class,
        () -> new ColorizationEvaluation(card(spec, 1), null, spec.toSde(), settings));
  }

  /**
   * Three components: gray patterns ±0.5 that tell them apart, hue +HUE on channel k and −HUE/2 on the others,
   * σ = 0.05. (With patterns of ±0.2 and σ = 0.1 the replacement method loses the cue: the component is decided
   * while the known gray is still buried in noise, and half the hues come out wrong even with 500 PC steps.)
   */
  static GaussianMixture photos() {
    return ControlMixtures.huedPhotos(0.5, SIGMA, HUE, new double[] {0.3, 0.3, 0.4});
  }

  private static ModelCard card(SdeSpec spec, int channels) {
    return new ModelCard(ModelCard.FORMAT_VERSION, "mixture", spec, EvaluationTest.SCORE, DataShape.image(channels, 2, 2),
        ValueRange.SYMMETRIC, FashionMnist.CLASS_NAMES, 0.999,
        new Provenance("none", "none", 1, 1, 0, Double.NaN, "2026-01-01T00:00:00Z"));
  }
}
