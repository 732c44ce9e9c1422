package dev.scoresde.api.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a key may do. Each scope includes the ones below it: {@code admin} ⊃ {@code operate} ⊃ {@code sample}. Spring
 * Security sees them as roles ({@code ROLE_SAMPLE}…), so {@code management.endpoint.health.roles: ADMIN} shows
 * health details to admin keys only.
 */
enum Scope {
  /** Reading models and jobs, {@code POST /v1/models/{name}/samples} (class-conditional included) and its jobs. */
  SAMPLE,
  /** Every operation and {@code POST /v1/jobs}. */
  OPERATE,
  /** Everything, health details and other actuator endpoints included. */
  ADMIN;

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  String role() {
    return "ROLE_" + name();
  }

  /** This scope and every scope it includes. */
  Set<Scope> implied() {
    return EnumSet.range(SAMPLE, this);
  }

  static Scope parse(String key, String id) {
    for (Scope s : values()) {
      if (s.id().equals(id == null ? null : id.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalStateException("score-sde.security.keys." + key + ".scopes: unknown scope '" + id
        + "' (expected sample, operate or admin)");
  }
}
