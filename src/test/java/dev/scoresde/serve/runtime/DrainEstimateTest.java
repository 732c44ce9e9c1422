package dev.scoresde.serve.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Retry-After of a full queue follows the measured task times, not the queue's length alone. */
class DrainEstimateTest {

  @Test
  void fastTasksGiveTheMinimumEvenForALongQueue() {
    DrainEstimate d = new DrainEstimate();
    for (int i = 0; i < 10; i++) {
      d.finished(Duration.ofMillis(5), 1);
    }
    // 64 queued tasks of 5 ms: 0.32 s to drain (the report: Retry-After 64 where the queue drained in ~0.3 s)
    assertEquals(1, d.retryAfterSeconds(64, 1));
  }

  @Test
  void queuedTasksTimesTheirRecentDurationDividedByTheWorkers() {
    DrainEstimate d = new DrainEstimate();
    d.finished(Duration.ofMillis(500), 1);
    assertEquals(5, d.retryAfterSeconds(10, 1));
    assertEquals(3, d.retryAfterSeconds(10, 2), "2.5 s rounded up");
  }

  @Test
  void aMergedBatchCountsAsItsTasks() {
    DrainEstimate d = new DrainEstimate();
    d.finished(Duration.ofSeconds(8), 16);
    assertEquals(8, d.retryAfterSeconds(16, 1), "16 tasks at 0.5 s each");
  }

  @Test
  void recentBatchesOutweighOldOnesAndTheWaitIsBounded() {
    DrainEstimate d = new DrainEstimate();
    d.finished(Duration.ofSeconds(30), 1);
    assertEquals(60, d.retryAfterSeconds(64, 1), "at most a minute");
    for (int i = 0; i < 40; i++) {
      d.finished(Duration.ofMillis(100), 1);
    }
    assertEquals(7, d.retryAfterSeconds(64, 1), "the slow task has faded: 64 × ~0.1 s");
  }

  @Test
  void beforeAnyMeasurementTheMinimum() {
    assertEquals(1, new DrainEstimate().retryAfterSeconds(64, 1));
  }
}
