package dev.scoresde.api.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API keys, bound from {@code score-sde.security.*}. Off by default ({@code ./mvnw spring-boot:run} needs no key);
 * the Helm chart turns them on with a generated key.
 *
 * @param enabled whether {@code /v1/**} needs a key (health probes, Prometheus, the static page and Swagger UI
 *     never do)
 * @param keys the keys by name; the name is what metrics and logs show, never the key
 */
@ConfigurationProperties(prefix = "score-sde.security")
record SecurityProperties(boolean enabled, Map<String, Key> keys) {

  SecurityProperties {
    keys = keys == null ? Map.of() : Map.copyOf(keys);
  }

  /**
   * One key.
   *
   * @param sha256 the SHA-256 of the key, 64 hex digits ({@code printf %s "$KEY" | sha256sum}); the key itself is
   *     never configured
   * @param scopes sample, operate or admin (default: operate)
   * @param requests this key's token bucket: requests per {@code quota.period} (default {@code quota.requests})
   * @param maxConcurrent this key's requests and unfinished jobs at once (default {@code quota.max-concurrent})
   */
  record Key(String sha256, List<String> scopes, Integer requests, Integer maxConcurrent) {}
}
