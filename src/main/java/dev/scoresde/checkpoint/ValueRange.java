package dev.scoresde.checkpoint;

/**
 * The interval data values live in: pixel 0 maps to {@code min}, pixel 255 to {@code max}. The paper's
 * DDPM++ models use [-1, 1] ("centered" data); its NCSN++ models use [0, 1].
 */
public record ValueRange(double min, double max) {

  public static final ValueRange SYMMETRIC = new ValueRange(-1, 1);
  public static final ValueRange UNIT = new ValueRange(0, 1);

  public ValueRange {
    if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
      throw new IllegalArgumentException("value range needs finite min < max, got [" + min + ", " + max + "]");
    }
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
}
