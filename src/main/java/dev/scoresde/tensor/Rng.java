package dev.scoresde.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Explicit randomness with one independent stream per batch row. Row i of a request seeded with s always
 * draws the same numbers, whatever else shares its batch, so merged batches reproduce unbatched runs.
 * Numbers are drawn on the JVM and copied to the device: reproducible across CPU and GPU.
 */
public final class Rng {
  private final SplittableRandom[] rows;

  private Rng(SplittableRandom[] rows) {
    this.rows = rows;
  }

  /** {@code n} rows for a request with this seed: row i is seeded from (seed, i) alone. */
  public static Rng of(long seed, int n) {
    SplittableRandom[] r = new SplittableRandom[n];
    for (int i = 0; i < n; i++) {
      r[i] = new SplittableRandom(mix(seed, i));
    }
    return new Rng(r);
  }

  /** Rows of several requests, one after another (the batch layout of a merged batch). */
  public static Rng concat(Rng... parts) {
    return new Rng(Arrays.stream(parts).flatMap(p -> Arrays.stream(p.rows)).toArray(SplittableRandom[]::new));
  }

  /** The streams of rows [from, to), shared with this Rng (drawing from one advances the other). */
  public Rng slice(int from, int to) {
    return new Rng(Arrays.copyOfRange(rows, from, to));
  }

  /** An independent Rng whose row streams are split off these (for a sub-task such as probes). */
  public Rng split() {
    SplittableRandom[] r = new SplittableRandom[rows.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = rows[i].split();
    }
    return new Rng(r);
  }

  public int rows() {
    return rows.length;
  }

  /** Standard normal noise of {@code shape}; shape[0] must equal {@link #rows()}. */
  public NDArray normal(NDManager manager, Shape shape) {
    return fill(manager, shape, g -> (float) g.nextGaussian());
  }

  /** Uniform noise on [0, 1) of {@code shape}. */
  public NDArray uniform(NDManager manager, Shape shape) {
    return fill(manager, shape, g -> (float) g.nextDouble());
  }

  /** Rademacher (±1) noise of {@code shape}. */
  public NDArray rademacher(NDManager manager, Shape shape) {
    return fill(manager, shape, g -> g.nextBoolean() ? 1f : -1f);
  }

  /** Row r's elements drawn, in order, from row r's stream alone. */
  private NDArray fill(NDManager manager, Shape shape, Draw draw) {
    float[] data = new float[checkedSize(shape)];
    int per = data.length / rows.length;
    for (int r = 0; r < rows.length; r++) {
      SplittableRandom g = rows[r];
      for (int j = r * per, end = j + per; j < end; j++) {
        data[j] = draw.next(g);
      }
    }
    return manager.create(data, shape);
  }

  @FunctionalInterface
  private interface Draw {
    float next(SplittableRandom g);
  }

  private int checkedSize(Shape shape) {
    if (shape.dimension() == 0 || shape.get(0) != rows.length) {
      throw new IllegalArgumentException("shape " + shape + " does not have " + rows.length + " rows");
    }
    return Math.toIntExact(shape.size());
  }

  private static long mix(long seed, long row) {
    // SplitMix64 finalizer over (seed, row): decorrelates neighbouring seeds and rows.
    long z = seed * 0x9E3779B97F4A7C15L + (row + 1) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
