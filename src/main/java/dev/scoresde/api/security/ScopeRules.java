package dev.scoresde.api.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The scope each request needs, the one place that says so (the authorization manager and the 403 message both
 * ask here). Public: health and its probes, Prometheus, info, and everything outside {@code /v1} and
 * {@code /actuator} (the static page, Swagger UI, {@code /v3/api-docs}, {@code /error}).
 */
final class ScopeRules {
  private static final String SEG = "[^/]+";
  private static final Pattern MODELS = Pattern.compile("/v1/models(/" + SEG + ")?/?");
  private static final Pattern SAMPLES = Pattern.compile("/v1/models/" + SEG + "/samples");
  private static final Pattern JOB = Pattern.compile("/v1/jobs/" + SEG);
  private static final Pattern JOB_EVENTS = Pattern.compile("/v1/jobs/" + SEG + "/events");
  private static final Pattern PUBLIC_ACTUATOR = Pattern.compile("/actuator(/health(/.*)?|/prometheus|/info)?/?");

  private ScopeRules() {}

  /** The decoded, normalized path inside the application (Tomcat has already refused encoded '/' '\' and NUL). */
  static String path(HttpServletRequest request) {
    return request.getServletPath() + Objects.toString(request.getPathInfo(), "");
  }

  /** The scope the request needs, or null when it is public. */
  static Scope required(HttpServletRequest request) {
    return required(request.getMethod(), path(request));
  }

  static Scope required(String method, String path) {
    if (path.equals("/v1") || path.startsWith("/v1/")) {
      boolean read = method.equals("GET") || method.equals("HEAD");
      if (read && (MODELS.matcher(path).matches() || JOB.matcher(path).matches()
          || JOB_EVENTS.matcher(path).matches())) {
        return Scope.SAMPLE;
      }
      if (method.equals("POST") && SAMPLES.matcher(path).matches()
          || method.equals("DELETE") && JOB.matcher(path).matches()) {
        return Scope.SAMPLE;
      }
      return Scope.OPERATE;
    }
    if (path.equals("/actuator") || path.startsWith("/actuator/")) {
      return PUBLIC_ACTUATOR.matcher(path).matches() ? null : Scope.ADMIN;
    }
    return null;
  }
}
