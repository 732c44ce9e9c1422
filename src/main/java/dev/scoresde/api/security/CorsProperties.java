package dev.scoresde.api.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cross-origin access, bound from {@code score-sde.security.cors.*}. Off by default: no
 * {@code Access-Control-Allow-Origin} is ever sent, and a request whose {@code Origin} is neither this server's
 * nor listed is refused with 403 — a browser sends a form-encoded or multipart POST to another origin without any
 * preflight, so not answering with CORS headers alone would not stop it from running.
 *
 * @param allowedOrigins origins (scheme://host[:port]) or patterns ({@code https://*.example.com}) allowed to call
 *     the API from a browser
 */
@ConfigurationProperties(prefix = "score-sde.security.cors")
record CorsProperties(List<String> allowedOrigins) {

  CorsProperties {
    allowedOrigins = allowedOrigins == null ? List.of()
        : allowedOrigins.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
