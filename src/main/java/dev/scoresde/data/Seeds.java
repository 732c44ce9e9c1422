package dev.scoresde.data;

/** Derived seeds: every random choice of a run is a pure function of (run seed, step, purpose). */
public final class Seeds {
  private Seeds() {}

  /** Purposes, so that data order, augmentation and loss noise draw from unrelated streams. */
  public static final long ORDER = 1;
  public static final long AUGMENT = 2;
  public static final long NOISE = 3;
  public static final long SYNTHETIC = 4;
  public static final long DROPOUT = 5;
  public static final long GRID = 6;

  /** A seed for (seed, index, purpose), decorrelated by SplitMix64 rounds. */
  public static long derive(long seed, long index, long purpose) {
    return mix(mix(mix(seed) ^ index) ^ (purpose * 0xD6E8FEB86659FD93L));
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
