package dev.scoresde.api.hardening;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem documents written outside Spring MVC (servlet filters, the security chain, Tomcat's error
 * valve), with the same {@code type} URNs as {@code api.ProblemAdvice}: {@code urn:score-sde:problem:<slug>}.
 */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Problems() {}

  /** The problem as JSON; {@code detail} is scrubbed ({@link Scrub#detail}), extra members follow it. */
  public static String json(int status, String slug, String title, String detail, String instance,
      Map<String, Object> extra) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "urn:score-sde:problem:" + slug);
    p.put("title", title);
    p.put("status", status);
    p.put("detail", Scrub.detail(detail));
    if (instance != null) {
      p.put("instance", Scrub.cut(instance, 200));
    }
    if (extra != null) {
      p.putAll(extra);
    }
    return JSON.writeValueAsString(p);
  }

  /** Writes the problem unless the response is already committed. */
  public static void write(HttpServletResponse response, int status, String slug, String title, String detail,
      String instance) throws IOException {
    write(response, status, slug, title, detail, instance, null);
  }

  public static void write(HttpServletResponse response, int status, String slug, String title, String detail,
      String instance, Map<String, Object> extra) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.setStatus(status);
    response.setContentType(MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json(status, slug, title, detail, instance, extra));
    response.flushBuffer();
  }
}
