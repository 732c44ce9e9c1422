package dev.scoresde.serve.runtime;

import dev.scoresde.serve.ServeException;
import java.time.Duration;
import java.time.Instant;

/**
 * Admission to the bounded job table, the same rule for every store: the whole table holds at most {@code maxJobs}
 * and each client at most {@code maxJobsPerClient} (unfinished jobs and finished ones until they expire), so one
 * client filling its share leaves room for the others. A refusal's Retry-After is when a slot of the full bound
 * frees: the expiry of its oldest finished job, or, with none finished yet, at least the retention.
 *
 * @param total jobs in the table
 * @param firstExpiry when the table's earliest-expiring finished job expires, or null
 * @param mine the client's jobs in the table
 * @param myFirstExpiry when the client's earliest-expiring finished job expires, or null
 */
public record JobAdmission(int total, Instant firstExpiry, int mine, Instant myFirstExpiry) {

  /** Throws BUSY if a new job of this client would pass a bound. */
  public void check(int maxJobs, int maxJobsPerClient, Duration retention, Instant now) {
    if (mine >= maxJobsPerClient) {
      throw new ServeException(ServeException.Kind.BUSY, "this client already has " + mine + " jobs (its share of "
          + "the job table is " + maxJobsPerClient + "; finished jobs count until they expire after " + retention
          + ")", retryAfter(myFirstExpiry, retention, now));
    }
    if (total >= maxJobs) {
      throw new ServeException(ServeException.Kind.BUSY, "the job table is full (" + total + " jobs)",
          retryAfter(firstExpiry, retention, now));
    }
  }

  static long retryAfter(Instant expiry, Duration retention, Instant now) {
    Duration wait = expiry == null ? retention : Duration.between(now, expiry);
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }
}
