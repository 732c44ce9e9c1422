package dev.scoresde.serve.runtime;

import dev.scoresde.serve.task.Task;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** The inference core's meters: task outcomes, NFE, batch sizes, queue depth, latency by sampler. */
public final class ServeMetrics {
  private final MeterRegistry registry;

  public ServeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void queueDepth(Supplier<Number> depth) {
    io.micrometer.core.instrument.Gauge.builder("scoresde.inference.queue.depth", depth, s -> s.get().doubleValue())
        .description("tasks waiting for a worker").strongReference(true).register(registry);
  }

  void batch(int tasks, int rows) {
    DistributionSummary.builder("scoresde.inference.batch.tasks").description("requests merged per batch")
        .register(registry).record(tasks);
    DistributionSummary.builder("scoresde.inference.batch.rows").description("rows per batch")
        .register(registry).record(rows);
  }

  void finished(Task task, String outcome, Duration latency, Integer nfe) {
    count(task, outcome);
    Timer.builder("scoresde.inference.latency").description("time from start to result, per task")
        .tag("operation", task.kind().id()).tag("sampler", task.sampler()).register(registry).record(latency);
    if (nfe != null) {
      DistributionSummary.builder("scoresde.inference.nfe").description("score evaluations per task")
          .tag("operation", task.kind().id()).tag("sampler", task.sampler()).register(registry).record(nfe);
    }
  }

  /** A task that ended in the queue (cancelled, or failed by shutdown): counted, but it has no latency or NFE. */
  void endedQueued(Task task, String outcome) {
    count(task, outcome);
  }

  private void count(Task task, String outcome) {
    Counter.builder("scoresde.inference.tasks").description("tasks by operation and outcome")
        .tag("operation", task.kind().id()).tag("outcome", outcome).register(registry).increment();
  }
}
