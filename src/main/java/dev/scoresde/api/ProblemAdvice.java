package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.ServeException;
import java.net.URI;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every error as an RFC 9457 problem detail ({@code application/problem+json}): Spring MVC's own (malformed
 * JSON, wrong types, missing parts, upload too large, unsupported media type…) and the inference core's,
 * with a {@code parameter} member naming the bad parameter where there is one.
 */
@ConditionalOnWebApplication
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemAdvice.class);

  static URI type(String slug) {
    return URI.create("urn:score-sde:problem:" + slug);
  }

  static ResponseEntity<Object> problem(HttpStatusCode status, String slug, String title, String detail,
      HttpHeaders headers) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(type(slug));
    p.setTitle(title);
    return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<Object> invalid(InvalidRequestException e) {
    ResponseEntity<Object> r = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
        e.getMessage(), new HttpHeaders());
    ((ProblemDetail) r.getBody()).setProperty("parameter", e.parameter());
    return r;
  }

  @ExceptionHandler(ServeException.class)
  ResponseEntity<Object> serve(ServeException e) {
    HttpHeaders h = new HttpHeaders();
    if (e.retryAfterSeconds() > 0) {
      h.set(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
    }
    return switch (e.kind()) {
      case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(), h);
      case UNSUPPORTED -> problem(HttpStatus.UNPROCESSABLE_CONTENT, "unsupported-operation", "Operation not supported",
          e.getMessage(), h);
      case UNAVAILABLE -> problem(HttpStatus.SERVICE_UNAVAILABLE, "model-unavailable", "Model unavailable",
          e.getMessage(), h);
      case STORE_UNAVAILABLE -> problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Job store unavailable",
          e.getMessage(), h);
      case BUSY -> problem(HttpStatus.TOO_MANY_REQUESTS, "busy", "Too many requests", e.getMessage(), h);
      case DEADLINE -> problem(HttpStatus.GATEWAY_TIMEOUT, "deadline-exceeded", "Deadline exceeded", e.getMessage(), h);
      case CANCELLED -> problem(HttpStatus.CONFLICT, "cancelled", "Cancelled", e.getMessage(), h);
      case SHUTTING_DOWN -> problem(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "Server shutting down",
          e.getMessage(), h);
      case DIVERGED -> problem(HttpStatus.UNPROCESSABLE_CONTENT, "diverged", "Computation diverged", e.getMessage(), h);
    };
  }

  /**
   * A multipart body that cannot be parsed (no boundary, truncated parts) is the client's mistake: 400. An upload
   * over the limits stays 413 (Spring's own handler for MaxUploadSizeExceededException, a closer match).
   */
  @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
  ResponseEntity<Object> multipart(org.springframework.web.multipart.MultipartException e) {
    Throwable c = e.getMostSpecificCause();
    return problem(HttpStatus.BAD_REQUEST, "malformed-multipart", "Malformed multipart body",
        "the multipart body could not be read" + (c != e && c.getMessage() != null ? ": " + c.getMessage() : ""),
        new HttpHeaders());
  }

  @ExceptionHandler(CancellationException.class)
  ResponseEntity<Object> cancelled(CancellationException e) {
    return problem(HttpStatus.CONFLICT, "cancelled", "Cancelled", e.getMessage(), new HttpHeaders());
  }

  @ExceptionHandler(CompletionException.class)
  ResponseEntity<Object> completion(CompletionException e) throws Exception {
    Throwable c = e.getCause();
    if (c instanceof InvalidRequestException i) {
      return invalid(i);
    }
    if (c instanceof ServeException s) {
      return serve(s);
    }
    if (c instanceof CancellationException x) {
      return cancelled(x);
    }
    return internal(c == null ? e : c);
  }

  @ExceptionHandler(Throwable.class)
  ResponseEntity<Object> internal(Throwable e) {
    LOG.error("request failed", e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
        "the server failed to complete the request: " + e.getClass().getSimpleName(), new HttpHeaders());
  }

  /** Malformed JSON, a wrong type or an unknown field: say where, in the client's terms. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String detail = "the request body could not be read";
    String where = null;
    for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
      if (t instanceof JacksonException je) {
        detail = je.getOriginalMessage();
        where = je.getPathReference();
        break;
      }
    }
    if (detail != null && detail.length() > 300) {
      detail = detail.substring(0, 300) + "…";
    }
    ResponseEntity<Object> r = problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
        detail, new HttpHeaders());
    if (where != null && !where.isBlank()) {
      ((ProblemDetail) r.getBody()).setProperty("location", where);
    }
    return r;
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    ResponseEntity<Object> r = super.handleExceptionInternal(ex, body, headers, statusCode, request);
    if (r != null && r.getBody() instanceof ProblemDetail p) {
      if (p.getType() == null || "about:blank".equals(p.getType().toString())) {
        HttpStatus known = HttpStatus.resolve(p.getStatus());
        p.setType(type(known == null ? "http-" + p.getStatus()
            : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
      }
      return ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders())
          .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(r.getBody());
    }
    return r;
  }
}
