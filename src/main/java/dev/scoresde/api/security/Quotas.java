package dev.scoresde.api.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each caller's token bucket (Bucket4j, greedy refill: {@code capacity} tokens per period, added continuously)
 * and count of work in progress. A caller is {@code key:<name>} or {@code addr:<client address>}.
 */
final class Quotas {
  /** A consumption attempt: whether it passed and what the headers say. */
  record Verdict(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

  private final QuotaProperties props;
  private final Map<String, Bucket> buckets;
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

  Quotas(QuotaProperties props) {
    this.props = props;
    int max = props.maxClients();
    this.buckets = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
        return size() > max;
      }
    });
  }

  Verdict consume(String caller, long capacity) {
    Bucket b = buckets.computeIfAbsent(caller + "#" + capacity, k -> Bucket.builder()
        .addLimit(l -> l.capacity(capacity).refillGreedy(capacity, props.period())).build());
    ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
    long reset = seconds(p.getNanosToWaitForReset());
    if (p.isConsumed()) {
      return new Verdict(true, capacity, p.getRemainingTokens(), reset, 0);
    }
    long retry = Math.max(1, seconds(p.getNanosToWaitForRefill()));
    return new Verdict(false, capacity, 0, Math.max(reset, retry), retry);
  }

  /** Takes one unit of work in progress unless the caller already has {@code max}. */
  boolean acquire(String caller, int max) {
    boolean[] ok = {false};
    inFlight.compute(caller, (k, n) -> {
      int have = n == null ? 0 : n;
      if (have >= max) {
        return n;
      }
      ok[0] = true;
      return have + 1;
    });
    return ok[0];
  }

  void release(String caller) {
    inFlight.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
  }

  int inFlight(String caller) {
    return inFlight.getOrDefault(caller, 0);
  }

  private static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
