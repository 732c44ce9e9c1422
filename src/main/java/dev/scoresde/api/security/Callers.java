package dev.scoresde.api.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is asking, as quotas and the job table count clients: {@code key:<name>} for a request with an API key,
 * else {@code addr:<client address>} (behind a proxy, with {@code server.forward-headers-strategy=native}).
 */
public final class Callers {
  private Callers() {}

  public static String of(HttpServletRequest request) {
    ApiKey key = key();
    return key == null ? "addr:" + request.getRemoteAddr() : "key:" + key.name();
  }

  static ApiKey key() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a instanceof KeyAuthentication k ? k.key() : null;
  }
}
