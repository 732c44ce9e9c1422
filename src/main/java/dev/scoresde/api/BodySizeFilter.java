package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses JSON bodies larger than {@code score-sde.api.max-json-size} (base64 images included) with 413
 * before reading them; multipart uploads are bounded by {@code spring.servlet.multipart.*}.
 */
@ConditionalOnWebApplication
@Component
class BodySizeFilter extends OncePerRequestFilter {
  private final long max;

  BodySizeFilter(@Value("${score-sde.api.max-json-size:4MB}") DataSize max) {
    this.max = max.toBytes();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String type = request.getContentType();
    long length = request.getContentLengthLong();
    if (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json") && length > max) {
      response.setStatus(413);
      response.setContentType("application/problem+json");
      response.getWriter().write("{\"type\":\"urn:score-sde:problem:too-large\",\"title\":\"Request body too large\","
          + "\"status\":413,\"detail\":\"the body has " + length + " bytes, the limit is " + max + "\",\"instance\":\""
          + request.getRequestURI().replace("\"", "") + "\"}");
      return;
    }
    chain.doFilter(request, response);
  }
}
