package dev.scoresde.serve.task;

import dev.scoresde.score.ScoreModel;

/**
 * The time the task running on this thread spends inside its score model's evaluations (the network's forward
 * passes, both classifier-free branches in one call, a classifier's gradient, measurement guidance's
 * vector-Jacobian product): what the worker reports as {@code score} in a response's {@code Server-Timing}.
 * On CPU libtorch runs each op eagerly, so a call's wall time is its compute; on a GPU it would count only the
 * launches. Reset and read by the worker around each batch; one batch runs on one thread.
 */
public final class ScoreClock {
  private static final ThreadLocal<long[]> NANOS = ThreadLocal.withInitial(() -> new long[1]);

  private ScoreClock() {}

  /** {@code score}, with each evaluation's time added to this thread's clock. */
  static ScoreModel timed(ScoreModel score) {
    return (x, t) -> {
      long t0 = System.nanoTime();
      try {
        return score.score(x, t);
      } finally {
        NANOS.get()[0] += System.nanoTime() - t0;
      }
    };
  }

  public static void reset() {
    NANOS.get()[0] = 0;
  }

  /** Nanoseconds inside score evaluations on this thread since the last {@link #reset()}. */
  public static long nanos() {
    return NANOS.get()[0];
  }
}
