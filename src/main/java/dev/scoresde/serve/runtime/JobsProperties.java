package dev.scoresde.serve.runtime;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where jobs live, bound from {@code score-sde.jobs.*}. How long finished jobs stay and how many there may be is
 * {@code score-sde.serve.job-retention}, {@code max-jobs} and {@code max-jobs-per-client} for either store.
 *
 * @param store memory (this process, the default) or redis (shared by replicas through {@code spring.data.redis.*})
 * @param redis the Redis store's timing and key space
 */
@ConfigurationProperties(prefix = "score-sde.jobs")
public record JobsProperties(String store, Redis redis) {

  public JobsProperties {
    store = store == null || store.isBlank() ? "memory" : store.trim().toLowerCase(Locale.ROOT);
    if (!store.equals("memory") && !store.equals("redis")) {
      throw new IllegalArgumentException("score-sde.jobs.store must be memory or redis, got '" + store + "'");
    }
    redis = redis == null ? new Redis(null, null, null, null, null) : redis;
  }

  /**
   * @param heartbeat how often a replica renews the leases of the jobs it runs (and looks for lapsed ones)
   * @param lease how long a claim lives without renewal; after it lapses another replica takes the job again
   * @param poll how often idle workers look for queued work and watchers read progress
   * @param keyPrefix prefix of every key, so several deployments can share one Redis
   * @param replica this replica's name in the jobs it claims (default: the host name, a pod's name in Kubernetes)
   */
  public record Redis(Duration heartbeat, Duration lease, Duration poll, String keyPrefix, String replica) {
    public Redis {
      heartbeat = heartbeat == null ? Duration.ofSeconds(2) : heartbeat;
      lease = lease == null ? Duration.ofSeconds(10) : lease;
      poll = poll == null ? Duration.ofMillis(200) : poll;
      keyPrefix = keyPrefix == null ? "score-sde:" : keyPrefix;
      replica = replica == null || replica.isBlank() ? java.util.Objects.requireNonNullElse(System.getenv("HOSTNAME"),
          "replica") : replica;
      if (heartbeat.isNegative() || heartbeat.isZero() || poll.isNegative() || poll.isZero()) {
        throw new IllegalArgumentException("score-sde.jobs.redis.heartbeat and poll must be positive");
      }
      if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException("score-sde.jobs.redis.lease (" + lease + ") must be at least twice the "
            + "heartbeat (" + heartbeat + "), or a busy replica loses its jobs");
      }
    }
  }
}
