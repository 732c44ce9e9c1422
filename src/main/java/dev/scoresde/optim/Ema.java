package dev.scoresde.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.scoresde.checkpoint.NamedParameters;

/**
 * The exponential moving average of the weights that the paper samples with (Appendix H: rate 0.999
 * for NCSN++, 0.9999 for DDPM++): s ← s − (1 − d)(s − θ) after every update. As in the reference's
 * {@code ExponentialMovingAverage}, the decay is warmed up, d_n = min(rate, (1 + n)/(10 + n)) after n
 * updates, so early averages are not dominated by the random initialization.
 */
public final class Ema {
  private final double rate;
  private final boolean warmup;
  private final NamedParameters live;
  private final NamedParameters shadow;
  private long updates;

  /**
   * @param live the trained weights
   * @param shadow the averaged weights (arrays of a second block of the same architecture), updated in place
   */
  public Ema(double rate, boolean warmup, NamedParameters live, NamedParameters shadow) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("EMA rate must be in [0, 1), got " + rate);
    }
    if (!live.names().equals(shadow.names())) {
      throw new IllegalArgumentException("EMA shadow has another architecture than the trained network");
    }
    this.rate = rate;
    this.warmup = warmup;
    this.live = live;
    this.shadow = shadow;
  }

  /** Sets the average to the live weights (at the start of a run). */
  public void reset() {
    shadow.copyFrom(live);
    updates = 0;
  }

  /** The decay of update number n (1-based). */
  public double decay(long n) {
    return warmup ? Math.min(rate, (1.0 + n) / (10.0 + n)) : rate;
  }

  /**
   * One update, one native call per parameter: the engine's fused SGD kernel computes
   * w ← w − lr·(g + wd·w); with w = s, g = θ, wd = −1 and lr = −(1 − d) that is
   * s − (1 − d)(s − θ) bit for bit (a sign flip and a subtraction are exact in floating point), instead
   * of three separate tensor ops.
   */
  public void update() {
    updates++;
    float lr = (float) -(1 - decay(updates));
    for (int i = 0; i < live.size(); i++) {
      NDArray s = shadow.arrays().get(i);
      s.getNDArrayInternal().sgdUpdate(new NDList(s, live.arrays().get(i)), new NDList(s), lr, -1f, 1f, -1f, 0f,
          false);
    }
  }

  public long updates() {
    return updates;
  }

  public void setUpdates(long n) {
    updates = n;
  }

  public double rate() {
    return rate;
  }

  public NamedParameters shadow() {
    return shadow;
  }
}
