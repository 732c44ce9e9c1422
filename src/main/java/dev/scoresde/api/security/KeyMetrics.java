package dev.scoresde.api.security;

import dev.scoresde.serve.task.OperationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A key's usage, tagged with the key's name (never the key; {@code anonymous} without one): requests by outcome,
 * throttled requests by reason, and the score evaluations (NFE) and inference wall-clock seconds of its results,
 * read from each result's metadata ({@code nfe}, {@code wallTimeMs}). A merged batch reports its own NFE and time
 * to every request in it, so these count what each request waited for, not a share of the CPU.
 */
final class KeyMetrics {
  static final String ANONYMOUS = "anonymous";
  private final MeterRegistry meters;

  KeyMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void request(String key, int status) {
    String outcome = status < 400 ? "success" : status < 500 ? "client_error" : "server_error";
    Counter.builder("scoresde.api.key.requests").description("API requests per key and outcome").tag("key", key)
        .tag("outcome", outcome).register(meters).increment();
  }

  void throttled(String key, String reason) {
    Counter.builder("scoresde.api.key.throttled").description("requests refused with 429 by the key's quota")
        .tag("key", key).tag("reason", reason).register(meters).increment();
  }

  void result(String key, OperationResult r) {
    if (r == null || r.metadata() == null) {
      return;
    }
    Counter.builder("scoresde.api.key.nfe").description("score-model evaluations of the key's results")
        .tag("key", key).register(meters).increment(r.metadata().nfe());
    Counter.builder("scoresde.api.key.inference.seconds").baseUnit("seconds")
        .description("inference wall-clock time of the key's results").tag("key", key).register(meters)
        .increment(r.metadata().wallTimeMs() / 1000.0);
  }
}
