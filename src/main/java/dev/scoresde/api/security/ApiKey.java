package dev.scoresde.api.security;

import java.util.Set;

/**
 * A configured key: its name, the SHA-256 of its secret (32 bytes) and its scopes (each with those it includes).
 * {@code requests} and {@code maxConcurrent} override the quota's defaults when not null.
 */
record ApiKey(String name, byte[] sha256, Set<Scope> scopes, Integer requests, Integer maxConcurrent) {

  boolean has(Scope s) {
    return scopes.contains(s);
  }
}
