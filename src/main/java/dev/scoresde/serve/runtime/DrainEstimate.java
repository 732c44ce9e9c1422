package dev.scoresde.serve.runtime;

import java.time.Duration;

/**
 * How long a full queue takes to drain, for a 429's {@code Retry-After}: the queued tasks × the recent time per
 * task ÷ the workers, within [1, 60] s. The time per task is an exponentially weighted mean over finished batches
 * (a batch of k merged tasks that took T counts as k tasks of T/k each), so a few slow tasks long ago fade.
 */
final class DrainEstimate {
  static final long MIN_SECONDS = 1;
  static final long MAX_SECONDS = 60;
  /** Weight of the newest batch in the mean. */
  private static final double ALPHA = 0.2;

  private double secondsPerTask = Double.NaN;

  synchronized void finished(Duration took, int tasks) {
    double perTask = took.toNanos() / 1e9 / Math.max(1, tasks);
    secondsPerTask = Double.isNaN(secondsPerTask) ? perTask : ALPHA * perTask + (1 - ALPHA) * secondsPerTask;
  }

  /** Seconds until {@code queued} tasks are done by {@code workers} workers (the minimum before any measurement). */
  synchronized long retryAfterSeconds(int queued, int workers) {
    if (Double.isNaN(secondsPerTask)) {
      return MIN_SECONDS;
    }
    double s = Math.ceil(queued * secondsPerTask / Math.max(1, workers));
    return (long) Math.max(MIN_SECONDS, Math.min(MAX_SECONDS, s));
  }
}
