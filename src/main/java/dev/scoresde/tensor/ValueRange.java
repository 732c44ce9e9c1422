package dev.scoresde.tensor;

import ai.djl.ndarray.NDArray;

/**
 * The interval [min, max] that a model's data live in: [0, 1] for uncentered data, [−1, 1] for centered
 * data (the reference's data.centered). Maps to and from the unit interval, where 8-bit pixels k sit at k/255.
 */
public record ValueRange(double min, double max) {

  public static final ValueRange UNIT = new ValueRange(0, 1);
  public static final ValueRange SYMMETRIC = new ValueRange(-1, 1);

  public ValueRange {
    if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
      throw new IllegalArgumentException("value range needs finite min < max, got [" + min + ", " + max + "]");
    }
  }

  public double width() {
    return max - min;
  }

  /** The value of an 8-bit pixel intensity p in [0, 255]. */
  public float fromPixel(int p) {
    return (float) (min + (max - min) * p / 255.0);
  }

  /** The 8-bit intensity of a value, clamped to the range and rounded. */
  public int toPixel(double v) {
    double u = (v - min) / (max - min);
    return (int) Math.round(Math.max(0, Math.min(1, u)) * 255);
  }

  /** (x − min)/(max − min): model range → [0, 1]. x (batch, ...) → same shape. */
  public NDArray toUnit(NDArray x) {
    return Scalars.div(Scalars.sub(x, min), width());
  }

  /** min + u·(max − min): [0, 1] → model range. u (batch, ...) → same shape. */
  public NDArray fromUnit(NDArray u) {
    return Scalars.add(Scalars.mul(u, width()), min);
  }
}
