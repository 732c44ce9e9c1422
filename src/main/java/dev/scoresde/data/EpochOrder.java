package dev.scoresde.data;

import java.util.SplittableRandom;

/**
 * Sampling without replacement in epochs: the examples are visited in a random permutation per epoch,
 * drawn from (seed, epoch) alone, so the example at any global position is a pure function of the seed.
 */
public final class EpochOrder {
  private final int n;
  private final long seed;
  private long cachedEpoch = -1;
  private int[] cached;

  public EpochOrder(int n, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("an epoch needs at least one example");
    }
    this.n = n;
    this.seed = seed;
  }

  /** Indices of the examples of the batch at {@code step} (positions step·B … step·B + B − 1). */
  public synchronized int[] batch(long step, int batchSize) {
    int[] out = new int[batchSize];
    long start = step * batchSize;
    for (int j = 0; j < batchSize; j++) {
      long position = start + j;
      out[j] = permutation(position / n)[(int) (position % n)];
    }
    return out;
  }

  private int[] permutation(long epoch) {
    if (epoch != cachedEpoch) {
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] = i;
      }
      SplittableRandom r = new SplittableRandom(Seeds.derive(seed, epoch, Seeds.ORDER));
      for (int i = n - 1; i > 0; i--) { // Fisher–Yates
        int k = r.nextInt(i + 1);
        int t = p[i];
        p[i] = p[k];
        p[k] = t;
      }
      cached = p;
      cachedEpoch = epoch;
    }
    return cached;
  }
}
