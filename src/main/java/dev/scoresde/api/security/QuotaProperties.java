package dev.scoresde.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-key quotas, bound from {@code score-sde.security.quota.*}: a token bucket per key (per client address for
 * requests without a key) and a bound on each caller's work in progress. Buckets live in memory, per replica.
 *
 * @param enabled whether quotas apply (off by default; the Helm chart turns them on)
 * @param requests a key's bucket: capacity, refilled continuously over {@code period} (a key may override it)
 * @param period the refill period of every bucket
 * @param anonymousRequests the bucket of each client address without a key
 * @param maxConcurrent a key's synchronous POSTs in progress plus its unfinished jobs (a key may override it)
 * @param anonymousMaxConcurrent the same per client address without a key
 * @param maxClients buckets kept in memory (the least recently used is dropped beyond it)
 */
@ConfigurationProperties(prefix = "score-sde.security.quota")
record QuotaProperties(boolean enabled, Integer requests, Duration period, Integer anonymousRequests,
    Integer maxConcurrent, Integer anonymousMaxConcurrent, Integer maxClients) {

  QuotaProperties {
    requests = positive(requests, 120, "requests");
    period = period == null ? Duration.ofMinutes(1) : period;
    if (period.isNegative() || period.isZero()) {
      throw new IllegalStateException("score-sde.security.quota.period must be positive, got " + period);
    }
    anonymousRequests = positive(anonymousRequests, 30, "anonymous-requests");
    maxConcurrent = positive(maxConcurrent, 4, "max-concurrent");
    anonymousMaxConcurrent = positive(anonymousMaxConcurrent, 2, "anonymous-max-concurrent");
    maxClients = positive(maxClients, 10_000, "max-clients");
  }

  private static Integer positive(Integer v, int fallback, String name) {
    if (v == null) {
      return fallback;
    }
    if (v < 1) {
      throw new IllegalStateException("score-sde.security.quota." + name + " must be at least 1, got " + v);
    }
    return v;
  }
}
