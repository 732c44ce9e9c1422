package dev.scoresde.api;

import dev.scoresde.api.hardening.Scrub;
import dev.scoresde.serve.model.ModelRegistry;
import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The "models" health contributor: DOWN while the registry loads (readiness waits for it), UP afterwards with each
 * model's status. A broken model's load error is shown scrubbed like every error body (no absolute paths), since
 * with API keys off anyone may read the details.
 */
@Component("modelsHealthIndicator")
@ConditionalOnWebApplication // the server only: the batch profiles have no model registry
class ModelsHealth implements HealthIndicator {
  private final ModelRegistry registry;

  ModelsHealth(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Health health() {
    Health.Builder b = registry.loaded().isDone() ? Health.up() : Health.down().withDetail("loading", true);
    registry.entries().forEach(e -> b.withDetail(e.name(), e.status().name().toLowerCase(Locale.ROOT)
        + (e.error() != null ? ": " + Scrub.detail(e.error()) : "")));
    return b.build();
  }
}
