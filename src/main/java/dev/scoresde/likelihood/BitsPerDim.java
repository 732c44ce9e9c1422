package dev.scoresde.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;
import dev.scoresde.tensor.Scopes;
import dev.scoresde.tensor.ValueRange;

/**
 * Bits per dimension of 8-bit images under a continuous model (Song et al. 2021, Table 2; the reference's
 * run_lib.evaluate and likelihood.py).
 *
 * <p>Derivation of the offset. Pixels are integers k ∈ {0..255}; uniform dequantization puts
 * u = (k + U)/256, U ~ U[0, 1)^D, in the bin of width 1/256 around each k, inside [0, 1]^D. The model sees
 * x = min + (max − min)·u, so p_u(u) = p_x(x)·(max − min)^D. The discrete probability of k is
 * P(k) = ∫_bin p_u du ≥ exp(E_U[log p_u(u)])·256^{−D} (Jensen, bin volume 256^{−D}), hence
 * −log₂ P(k)/D ≤ E_U[−log p_x(x)]/(D ln 2) − log₂(max − min) + 8 and
 * <pre>  bpd = −log p_x(x)/(D ln 2) + offset,   offset = 8 − log₂(max − min)</pre>
 * is an unbiased estimate of an upper bound on the 8-bit code length: offset 8 for data in [0, 1], 7 for
 * data in [−1, 1] — the reference's {@code offset = 7 − inverse_scaler(−1)}. Its expectation is ≥ 0 for any
 * valid density; a single dequantized draw is ≥ 0 whenever the density of u stays below 256^D.
 *
 * <p>Input: images as 8-bit integers (batch, c, h, w) with values 0..255, of any numeric data type. Images
 * already in the model's range can be turned into that form with {@link #quantize}.
 */
public final class BitsPerDim {
  private BitsPerDim() {}

  /** offset = 8 − log₂(max − min): the 1/256 bin width and the Jacobian of the map [0, 1] → [min, max]. */
  public static double offset(ValueRange range) {
    return 8 - Math.log(range.width()) / Math.log(2);
  }

  /** bpd = −log p/(D ln 2) + offset for one row's log-density (nats) in the model's range. */
  public static double fromLogLikelihood(double logp, long dimension, ValueRange range) {
    return -logp / (dimension * Math.log(2)) + offset(range);
  }

  public static double[] fromLogLikelihood(double[] logp, long dimension, ValueRange range) {
    double[] out = new double[logp.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = fromLogLikelihood(logp[i], dimension, range);
    }
    return out;
  }

  /**
   * Uniform dequantization into the model's range: x = min + (max − min)·(k + U)/256, U ~ U[0, 1) from each
   * row's stream.
   *
   * @param pixels 8-bit values 0..255, (batch, ...); not closed
   * @return float32 (batch, ...) in pixels' manager
   */
  public static NDArray dequantize(NDArray pixels, Rng rng, ValueRange range) {
    if (rng.rows() != pixels.getShape().get(0)) {
      throw new IllegalArgumentException("rng has " + rng.rows() + " rows, pixels " + pixels.getShape().get(0));
    }
    return Scopes.step(pixels, p -> {
      NDArray k = p.toType(DataType.FLOAT32, true);
      checkEightBit(k);
      return range.fromUnit(Scalars.div(k.add(rng.uniform(p.getManager(), k.getShape())), 256));
    });
  }

  /** Model-range images → their 8-bit values round((x − min)/(max − min)·255), clipped to 0..255; float32. */
  public static NDArray quantize(NDArray x, ValueRange range) {
    return Scopes.step(x, xx -> Scalars.clip(Scalars.mul(range.toUnit(xx.toType(DataType.FLOAT32, true)), 255).round(), 0, 255));
  }

  /** The bits/dim of 8-bit images: dequantize with rng, then the probability-flow likelihood (probes from rng). */
  public static Result evaluate(ProbabilityFlowLikelihood likelihood, NDArray pixels, Rng rng, ValueRange range) {
    NDArray x = dequantize(pixels, rng, range);
    try {
      LikelihoodResult r = likelihood.logLikelihood(x, rng);
      return new Result(fromLogLikelihood(r.logLikelihood(), r.dimension(), range), r);
    } finally {
      x.close();
    }
  }

  /**
   * @param bitsPerDim per row, (batch)
   * @param likelihood the underlying log-likelihood in nats of the dequantized data (its latent is the
   *     caller's to close)
   */
  public record Result(double[] bitsPerDim, LikelihoodResult likelihood) {}

  private static void checkEightBit(NDArray k) {
    float min = k.min().getFloat();
    float max = k.max().getFloat();
    boolean integral = k.sub(k.round()).abs().max().getFloat() == 0;
    if (min < 0 || max > 255 || !integral) {
      throw new IllegalArgumentException("pixels must be integers in 0..255, got values in [" + min + ", " + max + "]"
          + (integral ? "" : " with fractions"));
    }
  }
}
