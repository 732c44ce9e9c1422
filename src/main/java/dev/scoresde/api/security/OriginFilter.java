package dev.scoresde.api.security;

import dev.scoresde.api.hardening.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Browsers' cross-origin requests. A request without {@code Origin}, or from this server's own origin (the static
 * page, Swagger UI), passes. One from a listed origin gets CORS headers (a preflight is answered here). Any other
 * is refused with a 403 problem before it runs: a browser sends a "simple" POST (form-encoded or multipart) to
 * any origin without a preflight, and only hides the answer, so leaving out CORS headers would not stop the work.
 */
final class OriginFilter extends OncePerRequestFilter {
  private final CorsConfiguration config;
  private final DefaultCorsProcessor processor = new DefaultCorsProcessor() {
    @Override
    protected void rejectRequest(ServerHttpResponse response) {
      // the filter answers with a problem document instead of Spring's plain-text "Invalid CORS request"
    }
  };

  OriginFilter(CorsProperties props) {
    this.config = props.allowedOrigins().isEmpty() ? null : configuration(props.allowedOrigins());
  }

  static CorsConfiguration configuration(List<String> origins) {
    CorsConfiguration c = new CorsConfiguration();
    c.setAllowedOriginPatterns(origins);
    c.setAllowedMethods(List.of("GET", "HEAD", "POST", "DELETE", "OPTIONS"));
    c.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, ApiKeyFilter.HEADER, HttpHeaders.CONTENT_TYPE,
        HttpHeaders.ACCEPT, "Last-Event-ID"));
    c.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE,
        "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Server-Timing"));
    c.setAllowCredentials(false);
    c.setMaxAge(Duration.ofHours(1));
    return c;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!CorsUtils.isCorsRequest(request)) {
      chain.doFilter(request, response);
      return;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (config == null || config.checkOrigin(origin) == null) {
      Problems.write(response, 403, "cross-origin-refused", "Cross-origin request refused", "requests from origin '"
          + origin + "' are not allowed" + (config == null ? " (CORS is off: score-sde.security.cors.allowed-origins)"
          : ""), request.getRequestURI());
      return;
    }
    if (!processor.processRequest(config, request, response)) {
      Problems.write(response, 403, "cross-origin-refused", "Cross-origin request refused", "the method or headers "
          + "of this cross-origin request are not allowed", request.getRequestURI());
      return;
    }
    if (CorsUtils.isPreFlightRequest(request)) {
      response.setStatus(204);
      return;
    }
    chain.doFilter(request, response);
  }
}
