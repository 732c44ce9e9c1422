package dev.scoresde.nn;

/**
 * Counts the floating-point operations of convolutions and matrix products analytically (from their
 * shapes, 2 per multiply-add) while a forward pass runs; used by {@link NetworkBench}. Off unless
 * {@link #count} is running on this thread.
 */
public final class Flops {
  private static final ThreadLocal<long[]> COUNTER = new ThreadLocal<>();

  private Flops() {}

  /** Runs {@code body} and returns the FLOPs it spent in convolutions and matrix products. */
  public static long count(Runnable body) {
    long[] previous = COUNTER.get();
    long[] c = new long[1];
    COUNTER.set(c);
    try {
      body.run();
      return c[0];
    } finally {
      COUNTER.set(previous);
    }
  }

  static void add(long multiplyAdds) {
    long[] c = COUNTER.get();
    if (c != null) {
      c[0] += 2 * multiplyAdds;
    }
  }
}
