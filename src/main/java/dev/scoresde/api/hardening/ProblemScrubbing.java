package dev.scoresde.api.hardening;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Every problem document leaving Spring MVC, from {@code api.ProblemAdvice} or elsewhere, is scrubbed on the way
 * out: no file-system paths, echoed values cut to {@value Scrub#MAX_ECHO} characters, details to
 * {@value Scrub#MAX_DETAIL} ({@link Scrub}). The exception handlers log the full message first.
 */
@ConditionalOnWebApplication
@ControllerAdvice
class ProblemScrubbing implements ResponseBodyAdvice<Object> {

  @Override
  public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
      Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
    if (body instanceof ProblemDetail p) {
      p.setDetail(Scrub.detail(p.getDetail()));
      Map<String, Object> props = p.getProperties();
      if (props != null) {
        props.replaceAll((k, v) -> v instanceof String s ? Scrub.cut(Scrub.paths(s), 200) : v);
      }
    }
    return body;
  }
}
