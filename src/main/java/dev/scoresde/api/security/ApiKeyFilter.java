package dev.scoresde.api.security;

import dev.scoresde.api.hardening.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the key of a request, {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, and makes it the
 * request's authentication. A key that matches no configured hash is a 401 at once (whatever the path); no key
 * leaves the request anonymous, and the authorization rules decide ({@link ScopeRules}). With keys off every
 * request is the local user, who has every scope.
 */
final class ApiKeyFilter extends OncePerRequestFilter {
  static final String HEADER = "X-API-Key";
  static final String CHALLENGE = "Bearer realm=\"score-sde\"";

  private final ApiKeys keys;
  private final boolean enabled;

  ApiKeyFilter(ApiKeys keys, boolean enabled) {
    this.keys = keys;
    this.enabled = enabled;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!enabled) {
      authenticate(KeyAuthentication.local());
      chain.doFilter(request, response);
      return;
    }
    Optional<String> presented = presented(request);
    if (presented.isPresent()) {
      Optional<ApiKey> key = keys.match(presented.get());
      if (key.isEmpty()) {
        response.setHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
        Problems.write(response, 401, "unauthorized", "Unauthorized", "the API key is not valid",
            request.getRequestURI());
        return;
      }
      authenticate(KeyAuthentication.of(key.get()));
    }
    chain.doFilter(request, response);
  }

  private static void authenticate(KeyAuthentication a) {
    SecurityContext c = SecurityContextHolder.createEmptyContext();
    c.setAuthentication(a);
    SecurityContextHolder.setContext(c);
  }

  static Optional<String> presented(HttpServletRequest request) {
    String auth = request.getHeader("Authorization");
    if (auth != null && auth.length() > 7 && auth.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      String k = auth.substring(7).trim();
      if (!k.isEmpty()) {
        return Optional.of(k);
      }
    }
    String k = request.getHeader(HEADER);
    return k == null || k.isBlank() ? Optional.empty() : Optional.of(k.trim());
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }
}
