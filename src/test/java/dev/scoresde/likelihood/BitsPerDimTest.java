package dev.scoresde.likelihood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.ValueRange;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BitsPerDimTest {
  private static final int D = 16;
  private static final Shape IMAGE = new Shape(1, 4, 4);

  static Stream<ValueRange> ranges() {
    return Stream.of(ValueRange.UNIT, ValueRange.SYMMETRIC);
  }

  @Test
  void offsetIsEightForUnitDataAndSevenForCenteredData() {
    assertEquals(8, BitsPerDim.offset(ValueRange.UNIT), 1e-12);
    assertEquals(7, BitsPerDim.offset(ValueRange.SYMMETRIC), 1e-12);
    // Pixel units [0, 255]: the bin is 255/256 wide, so the offset is −log₂(255/256).
    assertEquals(-Math.log(255 / 256d) / Math.log(2), BitsPerDim.offset(new ValueRange(0, 255)), 1e-12);
    // By hand: log p = −3·D·ln 2 nats is 3 bits per dimension before the offset.
    assertEquals(3 + 7, BitsPerDim.fromLogLikelihood(-3 * D * Math.log(2), D, ValueRange.SYMMETRIC), 1e-12);
  }

  /**
   * End to end on a 16-D Gaussian-mixture "image" model (batch, 1, 4, 4) in [−1, 1]: the reported bits/dim
   * is exactly −log p/(D ln 2) + 7 of its own log-likelihood, and agrees with the same formula applied to
   * the mixture's exact log p_ε at the same dequantized points within the 0.01 nats/dim budget.
   */
  @Test
  void bitsPerDimOfAMixtureImageMatchesTheExactLogDensity() {
    Sde sde = VpSde.paper();
    ValueRange range = ValueRange.SYMMETRIC;
    GaussianMixture g = imageMixture();
    GaussianMixtureScore score = new GaussianMixtureScore(g, sde);
    LikelihoodSettings settings = LikelihoodSettings.defaults().withEstimator(DivergenceEstimator.EXACT, 1);
    int n = 4;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray pixels = BitsPerDim.quantize(g.sample(m, n, Rng.of(1, n)).x().reshape(new Shape(n).addAll(IMAGE)), range)
          .toType(DataType.UINT8, false);
      BitsPerDim.Result r = BitsPerDim.evaluate(new ProbabilityFlowLikelihood(sde, score, settings), pixels,
          Rng.of(7, n), range);
      NDArray x = BitsPerDim.dequantize(pixels, Rng.of(7, n), range); // the same draws as inside evaluate
      float[] exact = score.logDensity(x, Times.filled(x, settings.eps())).toFloatArray();
      double worst = 0;
      for (int i = 0; i < n; i++) {
        double own = -r.likelihood().logLikelihood()[i] / (D * Math.log(2)) + 7;
        assertEquals(own, r.bitsPerDim()[i], 1e-12, "formula, row " + i);
        double expected = -exact[i] / (D * Math.log(2)) + 7;
        worst = Math.max(worst, Math.abs(r.bitsPerDim()[i] - expected));
      }
      System.out.printf("bits/dim %.4f.. vs exact: worst difference %.2e bits/dim, nfe %d%n", r.bitsPerDim()[0], worst,
          r.likelihood().nfe());
      assertTrue(worst < 0.01 / Math.log(2), "bits/dim error " + worst);
      assertEquals(n, r.likelihood().latent().getShape().get(0));
      assertEquals(IMAGE, r.likelihood().latent().getShape().slice(1));
    }
  }

  /**
   * Dequantized 8-bit data under a valid density has bits/dim ≥ 0 whenever the density of the unit-scaled data
   * stays below 256 per dimension (then −log₂ p_u ≥ −8 per dimension). The test density is as concentrated as
   * that allows — per-pixel std 1/(256√(2π)) in unit scale, modes at bin centres — so the bound is nearly
   * attained (bits/dim < 1) and an offset too small by one bit would turn it negative.
   */
  @ParameterizedTest
  @MethodSource("ranges")
  void bitsPerDimIsNonNegativeForDequantizedEightBitData(ValueRange range) {
    double sigmaUnit = 1 / (256 * Math.sqrt(2 * Math.PI));
    SplittableRandom r = new SplittableRandom(5);
    double[][] means = new double[2][D];
    double[][] vars = new double[2][D];
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < D; i++) {
        means[k][i] = range.min() + range.width() * (r.nextInt(40, 216) + 0.5) / 256;
        vars[k][i] = Math.pow(sigmaUnit * range.width(), 2);
      }
    }
    GaussianMixture g = GaussianMixture.diagonal(new double[] {0.5, 0.5}, means, vars);
    // VP at t = 0 has α = 1, σ = 0: logDensity is the mixture's own density.
    GaussianMixtureScore exact = new GaussianMixtureScore(g, VpSde.paper());
    int n = 8;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray pixels = BitsPerDim.quantize(g.sample(m, n, Rng.of(2, n)).x(), range);
      NDArray x = BitsPerDim.dequantize(pixels, Rng.of(3, n), range);
      float[] logp = exact.logDensity(x, Times.filled(x, 0)).toFloatArray();
      double min = Double.MAX_VALUE;
      for (float v : logp) {
        double bpd = BitsPerDim.fromLogLikelihood(v, D, range);
        assertTrue(bpd >= 0, "bits/dim " + bpd);
        min = Math.min(min, bpd);
      }
      System.out.printf("%s: least bits/dim %.3f%n", range, min);
      assertTrue(min < 1, "the bound should be nearly attained, least bits/dim " + min);
    }
  }

  @ParameterizedTest
  @MethodSource("ranges")
  void dequantizedValuesStayInsideTheirPixelsBin(ValueRange range) {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] k = {0, 255, 17, 128, 3, 254};
      NDArray pixels = m.create(k, new Shape(2, 3)).toType(DataType.UINT8, false);
      float[] u = range.toUnit(BitsPerDim.dequantize(pixels, Rng.of(4, 2), range)).toFloatArray();
      for (int i = 0; i < k.length; i++) {
        assertTrue(u[i] >= k[i] / 256 - 1e-6 && u[i] < (k[i] + 1) / 256 + 1e-6, "pixel " + k[i] + " → " + u[i]);
      }
      assertArrayEquals(u, range.toUnit(BitsPerDim.dequantize(pixels, Rng.of(4, 2), range)).toFloatArray(), 0f);
      // quantize recovers 8-bit values from model-range images k/255.
      NDArray images = range.fromUnit(m.create(k, new Shape(2, 3)).div(255));
      assertArrayEquals(k, BitsPerDim.quantize(images, range).toFloatArray(), 0f);
    }
  }

  @Test
  void rejectsValuesThatAreNotEightBitIntegers() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (float bad : new float[] {256, -1, 0.5f}) {
        NDArray pixels = m.create(new float[] {0, bad}, new Shape(1, 2));
        assertThrows(IllegalArgumentException.class, () -> BitsPerDim.dequantize(pixels, Rng.of(1, 1), ValueRange.UNIT));
      }
    }
  }

  /** Three diagonal components in [−1, 1], per-pixel std 0.1–0.3. */
  private static GaussianMixture imageMixture() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] means = new double[3][D];
    double[][] vars = new double[3][D];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < D; i++) {
        means[k][i] = r.nextDouble(-0.5, 0.5);
        vars[k][i] = Math.pow(r.nextDouble(0.1, 0.3), 2);
      }
    }
    return GaussianMixture.diagonal(new double[] {0.2, 0.3, 0.5}, means, vars);
  }
}
